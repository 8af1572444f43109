//! What a request loads (Electron's webRequest `resourceType`, Chromium's request
//! destination): its name in Electron's details and the Accept and sec-fetch-* headers a
//! browser sends for it (Chromium's defaults for each destination).

/// A request's resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ResourceType {
    /// A window's document.
    MainFrame,
    /// An iframe's document.
    SubFrame,
    /// `<link rel=stylesheet>`.
    Stylesheet,
    /// `<script src>`.
    Script,
    /// `<img>`, icons.
    Image,
    /// Web fonts.
    Font,
    /// `<object>`, `<embed>`.
    Object,
    /// `fetch` and XMLHttpRequest from a page.
    Xhr,
    /// `<a ping>`, beacons.
    Ping,
    /// CSP violation reports.
    CspReport,
    /// `<video>`, `<audio>`, `<source>`, `<track>`.
    Media,
    /// WebSocket handshakes.
    WebSocket,
    /// Anything else: the requests the API makes (`net`, `ses.fetch`, downloads).
    #[default]
    Other,
}

impl ResourceType {
    /// Electron's name (`details.resourceType`, webRequest filters' `types`).
    pub fn name(self) -> &'static str {
        match self {
            Self::MainFrame => "mainFrame",
            Self::SubFrame => "subFrame",
            Self::Stylesheet => "stylesheet",
            Self::Script => "script",
            Self::Image => "image",
            Self::Font => "font",
            Self::Object => "object",
            Self::Xhr => "xhr",
            Self::Ping => "ping",
            Self::CspReport => "cspReport",
            Self::Media => "media",
            Self::WebSocket => "webSocket",
            Self::Other => "other",
        }
    }

    /// The type named `name` (Electron's names); `None` for an unknown one.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "mainFrame" => Self::MainFrame,
            "subFrame" => Self::SubFrame,
            "stylesheet" => Self::Stylesheet,
            "script" => Self::Script,
            "image" => Self::Image,
            "font" => Self::Font,
            "object" => Self::Object,
            "xhr" => Self::Xhr,
            "ping" => Self::Ping,
            "cspReport" => Self::CspReport,
            "media" => Self::Media,
            "webSocket" => Self::WebSocket,
            "other" => Self::Other,
            _ => return None,
        })
    }

    /// Whether the request loads a document (a navigation).
    pub fn is_frame(self) -> bool {
        matches!(self, Self::MainFrame | Self::SubFrame)
    }

    /// The `Accept` header Chromium sends for it.
    pub fn accept(self) -> &'static str {
        match self {
            Self::MainFrame | Self::SubFrame => {
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,\
                 image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
            }
            Self::Stylesheet => "text/css,*/*;q=0.1",
            Self::Image => "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            _ => "*/*",
        }
    }

    /// `Sec-Fetch-Mode`.
    pub fn fetch_mode(self) -> &'static str {
        match self {
            Self::MainFrame | Self::SubFrame => "navigate",
            Self::Font => "cors",
            Self::WebSocket => "websocket",
            _ => "no-cors",
        }
    }

    /// `Sec-Fetch-Dest`.
    pub fn fetch_dest(self) -> &'static str {
        match self {
            Self::MainFrame => "document",
            Self::SubFrame => "iframe",
            Self::Stylesheet => "style",
            Self::Script => "script",
            Self::Image => "image",
            Self::Font => "font",
            Self::Object => "object",
            Self::Media => "video",
            Self::CspReport => "report",
            Self::WebSocket => "websocket",
            Self::Xhr | Self::Ping | Self::Other => "empty",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_both_ways() {
        for name in [
            "mainFrame",
            "subFrame",
            "stylesheet",
            "script",
            "image",
            "font",
            "object",
            "xhr",
            "ping",
            "cspReport",
            "media",
            "webSocket",
            "other",
        ] {
            assert_eq!(
                ResourceType::from_name(name).map(ResourceType::name),
                Some(name)
            );
        }
        assert_eq!(ResourceType::from_name("document"), None);
    }

    #[test]
    fn a_document_is_a_navigation_and_an_image_is_not() {
        let main = ResourceType::MainFrame;
        assert_eq!(
            (main.fetch_mode(), main.fetch_dest()),
            ("navigate", "document")
        );
        assert!(main.accept().starts_with("text/html,"));
        let image = ResourceType::Image;
        assert_eq!(
            (image.fetch_mode(), image.fetch_dest()),
            ("no-cors", "image")
        );
        assert_eq!(ResourceType::Other.fetch_dest(), "empty");
    }
}
