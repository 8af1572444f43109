//! Tests of the transfer: completion by rename, cancel, a dropped connection, pausing that
//! stops reading (the producer is held back), and a target that cannot be written.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::*;
use crate::core::protocol::ProtocolBody;

type Feed = mpsc::Sender<Result<Bytes, NetError>>;

/// A body fed piece by piece, with room for `room` pieces in flight.
fn fed_body(room: usize) -> (Feed, ResponseBody) {
    let (tx, rx) = mpsc::channel(room);
    (tx, ResponseBody::from_handler(ProtocolBody::Channel(rx)))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn completes_by_renaming_the_whole_file_into_place() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sub").join("file.bin");
    let (tx, body) = fed_body(4);
    for piece in ["one ", "two ", "three"] {
        tx.send(Ok(Bytes::from(piece))).await.unwrap();
    }
    drop(tx);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let outcome = save(body, &target, &Control::default(), move |n| {
        log.lock().unwrap().push(n)
    })
    .await;
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "one two three");
    assert_eq!(files_in(&dir.path().join("sub")), ["file.bin"]);
    assert_eq!(seen.lock().unwrap().last(), Some(&13));
}

#[tokio::test]
async fn cancel_removes_the_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("file.bin");
    let (tx, body) = fed_body(4);
    tx.send(Ok(Bytes::from("part"))).await.unwrap();
    let control = Control::default();
    let running = tokio::spawn({
        let control = control.clone();
        let target = target.clone();
        async move { save(body, &target, &control, |_| {}).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    control.cancel();
    assert_eq!(running.await.unwrap(), Outcome::Cancelled);
    assert!(files_in(dir.path()).is_empty());
    drop(tx);
}

#[tokio::test]
async fn a_dropped_connection_interrupts_and_keeps_what_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("file.bin");
    let (tx, body) = fed_body(4);
    tx.send(Ok(Bytes::from("first half"))).await.unwrap();
    tx.send(Err(NetError::ConnectionReset)).await.unwrap();
    let outcome = save(body, &target, &Control::default(), |_| {}).await;
    let Outcome::Interrupted { reason, partial } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(reason.name(), "NETWORK_DISCONNECTED");
    assert_eq!(std::fs::read_to_string(&partial).unwrap(), "first half");
    assert!(partial.to_string_lossy().ends_with(".crdownload"));
    assert!(!target.exists());
}

#[tokio::test]
async fn pausing_stops_reading_so_the_producer_is_held_back() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("file.bin");
    let (tx, body) = fed_body(1);
    let control = Control::default();
    control.pause();
    assert!(control.is_paused());
    let running = tokio::spawn({
        let control = control.clone();
        let target = target.clone();
        async move { save(body, &target, &control, |_| {}).await }
    });
    tx.send(Ok(Bytes::from("a"))).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Nothing was read while paused: the one slot is still full.
    assert!(tx.try_send(Ok(Bytes::from("b"))).is_err());
    control.resume();
    tx.send(Ok(Bytes::from("b"))).await.unwrap();
    drop(tx);
    assert_eq!(running.await.unwrap(), Outcome::Completed);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "ab");
}

#[tokio::test]
async fn a_target_that_cannot_be_written_interrupts_with_a_file_reason() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("plain-file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let (tx, body) = fed_body(1);
    drop(tx);
    let outcome = save(
        body,
        &not_a_dir.join("file.bin"),
        &Control::default(),
        |_| {},
    )
    .await;
    let Outcome::Interrupted { reason, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(reason.name(), "FILE_FAILED");
}

#[tokio::test]
async fn continues_an_interrupted_file_after_its_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("file.bin");
    let partial = dir.path().join("file.bin.7.crdownload");
    // 10 bytes kept from before, and 3 stray ones after them that a resumption cuts off.
    std::fs::write(&partial, "first halfxyz").unwrap();
    let (tx, body) = fed_body(2);
    tx.send(Ok(Bytes::from(", second half"))).await.unwrap();
    drop(tx);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let continued = Partial::Continue {
        path: partial.clone(),
        offset: 10,
    };
    let outcome = save_into(body, &target, continued, &Control::default(), move |n| {
        log.lock().unwrap().push(n)
    })
    .await;
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "first half, second half"
    );
    assert!(!partial.exists());
    assert_eq!(seen.lock().unwrap().last(), Some(&23));
}

#[tokio::test]
async fn a_missing_file_to_continue_interrupts() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, body) = fed_body(1);
    drop(tx);
    let gone = Partial::Continue {
        path: dir.path().join("gone.crdownload"),
        offset: 5,
    };
    let outcome = save_into(
        body,
        &dir.path().join("f"),
        gone,
        &Control::default(),
        |_| {},
    )
    .await;
    assert!(
        matches!(
            outcome,
            Outcome::Interrupted {
                reason: InterruptReason::FileFailed,
                ..
            }
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn new_transfers_use_chromiums_intermediate_name_unless_a_file_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.pdf");
    assert_eq!(
        partial_path(&target).await,
        dir.path().join("report.pdf.crdownload")
    );
    std::fs::write(dir.path().join("report.pdf.crdownload"), "left over").unwrap();
    let other = partial_path(&target).await;
    let name = other.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("report.pdf.") && name.ends_with(".crdownload") && name.len() > 22,
        "{name}"
    );
}

#[test]
fn finds_what_an_earlier_process_left_and_how_much_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.bin");
    // Nothing there, or nothing to continue.
    assert_eq!(find_partial(&target, 100), None);
    std::fs::write(&target, "0123456789").unwrap();
    assert_eq!(find_partial(&target, 0), None);
    // The target itself (Electron's one path), at most what it holds.
    assert_eq!(find_partial(&target, 4), Some((target.clone(), 4)));
    assert_eq!(find_partial(&target, 100), Some((target.clone(), 10)));
    // Our intermediate file wins.
    let intermediate = dir.path().join("big.bin.crdownload");
    std::fs::write(&intermediate, "01234").unwrap();
    assert_eq!(find_partial(&target, 8), Some((intermediate, 5)));
    // A directory is not a partial file.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    assert_eq!(find_partial(&folder, 8), None);
}
