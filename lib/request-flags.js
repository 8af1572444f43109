'use strict'
//! A request's boolean and small-number options as the one `flags` word the native request
//! takes (`RequestFlag`, defined in binding/request_spec.rs).

const { RequestFlag } = require('./native')

// Fetch's cache modes, in the order RequestFlag.CacheModeUnit counts them.
const cacheModes = ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']

function requestFlags (o) {
  return (o.chunked ? RequestFlag.Chunked : 0) | (o.followRedirects ? RequestFlag.Follow : 0) |
    (o.useCookies ? RequestFlag.Cookies : 0) | (o.promptAuth ? RequestFlag.PromptAuth : 0) |
    (o.bypassCustomProtocolHandlers ? RequestFlag.BypassHandlers : 0) |
    (o.credentials === 'omit' ? RequestFlag.OmitCredentials : 0) |
    (o.uploadProgress ? RequestFlag.UploadProgress : 0) |
    (o.priority === undefined ? 0 : (o.priority + 1) * RequestFlag.PriorityUnit) |
    (o.priorityIncremental ? RequestFlag.PriorityIncremental : 0) |
    (cacheModes.indexOf(o.cache ?? 'default') * RequestFlag.CacheModeUnit) |
    (o.keepBody ? RequestFlag.KeepBody : 0)
}

module.exports = { requestFlags }
