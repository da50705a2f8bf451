//! Sharing a server's connections fairly among its clients (chapter 19).
//!
//! A global connection limit keeps a server alive, but not fair: one client
//! that opens every allowed connection locks all the others out. Two rules
//! fix that, and both live here:
//!
//! - **A limit per peer**: at most `max_per_peer` connections from one IP
//!   address at a time. [`Peers::admit`] refuses the one over it.
//! - **Idle connections are shed first**: a connection waiting between
//!   requests (an idle keep-alive connection, or one that has not sent
//!   anything yet) marks itself idle with [`Slot::idle`]. When the server is
//!   full, [`Peers::shed_idle`] tells the one idle for longest to close, so a
//!   newcomer with a request gets its place instead of waiting. Reopening an
//!   idle connection costs its client a handshake; a refused request costs
//!   it an error.
//!
//! The global limit itself stays where the accept loop holds it (a
//! `Semaphore`): this module only decides who gives way.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Connections a server may be turning away at once, each with a short
/// answer and a lingering close (a second or two). They take no place
/// under the connection limit, so refusals never make a server look full;
/// past this many, a connection to refuse is closed without a word, so a
/// flood of them costs a bounded number of sockets too.
pub const MAX_REFUSING: usize = 64;

/// The connections of every peer, and which of them are idle.
#[derive(Clone)]
pub struct Peers {
    state: Arc<Mutex<State>>,
    /// Told each time a connection goes idle, for `shed_while_full`.
    went_idle: Arc<Notify>,
    max_per_peer: usize,
}

#[derive(Default)]
struct State {
    /// Open connections per peer address.
    open: HashMap<IpAddr, usize>,
    /// Idle connections, oldest first: key = when it went idle (a counter).
    idle: BTreeMap<u64, Arc<Notify>>,
    next: u64,
}

/// One admitted connection. Dropping it gives the peer's place back.
pub struct Slot {
    peers: Peers,
    ip: IpAddr,
    shed: Arc<Notify>,
}

impl Peers {
    pub fn new(max_per_peer: usize) -> Peers {
        Peers {
            state: Arc::default(),
            went_idle: Arc::default(),
            max_per_peer,
        }
    }

    pub fn max_per_peer(&self) -> usize {
        self.max_per_peer
    }

    // ANCHOR: admit
    /// A slot for a new connection from `ip`, or `None` if that peer already
    /// has `max_per_peer` connections open.
    pub fn admit(&self, ip: IpAddr) -> Option<Slot> {
        let mut state = self.state.lock().unwrap();
        let open = state.open.entry(ip).or_default();
        if *open >= self.max_per_peer {
            return None;
        }
        *open += 1;
        Some(Slot {
            peers: self.clone(),
            ip,
            shed: Arc::new(Notify::new()),
        })
    }
    // ANCHOR_END: admit

    // ANCHOR: shed
    /// Tells the connection that has been idle longest to close. Returns
    /// false if no connection is idle: then everyone is busy, and the
    /// caller has to wait (or refuse).
    pub fn shed_idle(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        match state.idle.pop_first() {
            Some((_, shed)) => {
                // `notify_one` keeps the signal if the connection is not
                // waiting at this very moment, so it cannot be missed.
                shed.notify_one();
                true
            }
            None => false,
        }
    }

    /// Sheds the connection idle longest now, and one more each time a
    /// connection goes idle; never returns. The accept loop runs it while
    /// the server is full, beside its wait for a free place, and drops it
    /// once a place is free.
    pub async fn shed_while_full(&self) {
        loop {
            self.shed_idle();
            self.went_idle.notified().await;
        }
    }
    // ANCHOR_END: shed

    /// Open connections from `ip`.
    pub fn open(&self, ip: IpAddr) -> usize {
        self.state
            .lock()
            .unwrap()
            .open
            .get(&ip)
            .copied()
            .unwrap_or(0)
    }
}

impl Slot {
    /// Marks this connection idle until the returned future is dropped, and
    /// resolves if the server sheds it meanwhile. Await it beside the wait
    /// for the client's next request, in a `select!`: when the request comes
    /// first, the future is dropped and the connection is busy again.
    pub async fn idle(&self) {
        struct Idle<'a> {
            peers: &'a Peers,
            key: u64,
        }
        impl Drop for Idle<'_> {
            fn drop(&mut self) {
                // Busy again (or gone): no longer a candidate for shedding.
                self.peers.state.lock().unwrap().idle.remove(&self.key);
            }
        }
        let key = {
            let mut state = self.peers.state.lock().unwrap();
            let key = state.next;
            state.next += 1;
            state.idle.insert(key, self.shed.clone());
            key
        };
        self.peers.went_idle.notify_one();
        let _idle = Idle {
            peers: &self.peers,
            key,
        };
        self.shed.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = self.peers.state.lock().unwrap();
        if let Some(open) = state.open.get_mut(&self.ip) {
            *open -= 1;
            if *open == 0 {
                // Forget the peer, so the map holds only peers connected now.
                state.open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::time::timeout;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, last])
    }

    #[test]
    fn each_peer_gets_at_most_its_share_and_gets_it_back() {
        let peers = Peers::new(2);
        let a1 = peers.admit(ip(2)).unwrap();
        let _a2 = peers.admit(ip(2)).unwrap();
        assert!(peers.admit(ip(2)).is_none(), "a third from the same peer");
        // Another peer is not affected.
        let _b = peers.admit(ip(3)).unwrap();
        drop(a1);
        assert_eq!(peers.open(ip(2)), 1);
        assert!(
            peers.admit(ip(2)).is_some(),
            "a closed connection frees a place"
        );
    }

    #[test]
    fn a_peer_with_no_connections_is_forgotten() {
        let peers = Peers::new(1);
        drop(peers.admit(ip(2)).unwrap());
        assert!(peers.state.lock().unwrap().open.is_empty());
    }

    #[tokio::test]
    async fn the_connection_idle_longest_is_shed_first() {
        let peers = Peers::new(10);
        let (first, second) = (peers.admit(ip(2)).unwrap(), peers.admit(ip(3)).unwrap());
        let first_idle = first.idle();
        let second_idle = second.idle();
        tokio::pin!(first_idle, second_idle);
        // Poll both once, first before second, so both are marked idle.
        assert!(
            timeout(Duration::from_millis(10), &mut first_idle)
                .await
                .is_err()
        );
        assert!(
            timeout(Duration::from_millis(10), &mut second_idle)
                .await
                .is_err()
        );
        assert!(peers.shed_idle());
        timeout(Duration::from_secs(1), &mut first_idle)
            .await
            .expect("the older idle connection is shed");
        assert!(
            timeout(Duration::from_millis(10), &mut second_idle)
                .await
                .is_err(),
            "only one is shed per call"
        );
    }

    #[tokio::test]
    async fn a_full_server_sheds_whoever_goes_idle() {
        let peers = Peers::new(10);
        let slot = peers.admit(ip(2)).unwrap();
        let shedding = peers.shed_while_full();
        tokio::pin!(shedding);
        // Nothing is idle yet: nothing to shed.
        assert!(
            timeout(Duration::from_millis(10), &mut shedding)
                .await
                .is_err()
        );
        // The connection goes idle while the server is still full: it is shed.
        let idle = slot.idle();
        tokio::pin!(idle);
        tokio::select! {
            () = &mut idle => {}
            () = &mut shedding => unreachable!("it never returns"),
            () = tokio::time::sleep(Duration::from_secs(1)) => panic!("not shed"),
        }
    }

    #[tokio::test]
    async fn a_busy_connection_is_never_shed() {
        let peers = Peers::new(10);
        let slot = peers.admit(ip(2)).unwrap();
        {
            let idle = slot.idle();
            tokio::pin!(idle);
            assert!(timeout(Duration::from_millis(10), &mut idle).await.is_err());
        } // the request arrived: the idle future is dropped
        assert!(!peers.shed_idle(), "nothing is idle now");
    }
}
