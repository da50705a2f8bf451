//! Tests for the Observing a running program chapter's exercise:
//! `cargo test -p exercises --test trace_slow_request`.
//!
//! They run `serve` on a paused clock under a subscriber of their own: a
//! `tracing-subscriber` layer that records each span's name, its `id`
//! field and when it opened and closed, and for each event, the span it was
//! logged in. The questions a reader asks of a trace are then asserted.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/trace_slow_request.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/trace_slow_request.rs")]
#[cfg_attr(
    wrong = "trace_slow_request__entered_across_await",
    path = "../wrong/trace_slow_request__entered_across_await.rs"
)]
#[cfg_attr(
    wrong = "trace_slow_request__span_dropped_at_once",
    path = "../wrong/trace_slow_request__span_dropped_at_once.rs"
)]
mod trace_slow_request;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use trace_slow_request::{Request, serve};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// One span, as the layer saw it.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    id: Option<u64>,
    opened: Instant,
    closed: Option<Instant>,
}

/// One `replied` event: its `bytes`, and the `id` of the span it was in.
#[derive(Debug, Clone)]
struct Reply {
    bytes: Option<u64>,
    in_request: Option<u64>,
}

#[derive(Default)]
struct Trace {
    spans: HashMap<Id, SpanRecord>,
    replies: Vec<Reply>,
}

/// Reads one u64 field by name.
struct U64Field(&'static str, Option<u64>);
impl Visit for U64Field {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == self.0 {
            self.1 = Some(value);
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == self.0 {
            self.1 = u64::try_from(value).ok();
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

struct Recorder(Arc<Mutex<Trace>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut field = U64Field("id", None);
        attrs.record(&mut field);
        let record = SpanRecord {
            name: attrs.metadata().name(),
            id: field.1,
            opened: Instant::now(),
            closed: None,
        };
        self.0.lock().unwrap().spans.insert(id.clone(), record);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut bytes = U64Field("bytes", None);
        event.record(&mut bytes);
        let mut trace = self.0.lock().unwrap();
        // The innermost span the event was logged in, and its `id`.
        let in_request = ctx
            .event_span(event)
            .and_then(|span| trace.spans.get(&span.id()))
            .filter(|record| record.name == "request")
            .and_then(|record| record.id);
        trace.replies.push(Reply {
            bytes: bytes.1,
            in_request,
        });
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(record) = self.0.lock().unwrap().spans.get_mut(&id) {
            record.closed = Some(Instant::now());
        }
    }
}

/// Three requests; the second is the slow one. Each reply's size tells
/// which request logged it.
fn requests() -> Vec<Request> {
    let ms = Duration::from_millis;
    vec![
        Request {
            id: 1,
            work: ms(30),
            bytes: 100,
        },
        Request {
            id: 2,
            work: ms(2000),
            bytes: 200,
        },
        Request {
            id: 3,
            work: ms(50),
            bytes: 300,
        },
    ]
}

/// Runs `serve` on a paused clock and returns what the layer recorded.
fn trace_serve() -> Trace {
    let trace = Arc::new(Mutex::new(Trace::default()));
    let subscriber = tracing_subscriber::registry().with(Recorder(Arc::clone(&trace)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || runtime.block_on(serve(requests())));
    drop(runtime);
    Arc::try_unwrap(trace)
        .ok()
        .expect("the subscriber is gone")
        .into_inner()
        .unwrap()
}

fn request_spans(trace: &Trace) -> Vec<SpanRecord> {
    let mut spans: Vec<_> = trace
        .spans
        .values()
        .filter(|s| s.name == "request")
        .cloned()
        .collect();
    spans.sort_by_key(|s| s.id);
    spans
}

#[test]
fn each_request_has_one_span_with_its_id() {
    let ids: Vec<_> = request_spans(&trace_serve()).iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [Some(1), Some(2), Some(3)],
        "expected one span named `request` per request, with the field `id`"
    );
}

#[test]
fn each_reply_is_logged_inside_its_own_request() {
    let trace = trace_serve();
    let request_of: HashMap<u64, u64> = requests().iter().map(|r| (r.bytes, r.id)).collect();
    assert_eq!(
        trace.replies.len(),
        3,
        "expected one `replied` event per request"
    );
    for reply in &trace.replies {
        let expected = reply.bytes.and_then(|b| request_of.get(&b)).copied();
        let bytes = reply.bytes.unwrap_or(0);
        match reply.in_request {
            None => panic!(
                "the reply of {bytes} bytes, from request {expected:?}, was logged outside \
                 any `request` span: the span must be entered while the reply is logged"
            ),
            other => assert_eq!(
                other, expected,
                "the reply of {bytes} bytes, from request {expected:?}, was logged inside \
                 request {other:?}. A span entered with `enter()` stays entered on the \
                 thread across an `.await`, while other requests run: wrap the future \
                 with `.instrument(span)` instead"
            ),
        }
    }
}

#[test]
fn the_slow_requests_span_lasts_as_long_as_its_work() {
    let spans = request_spans(&trace_serve());
    for (span, request) in spans.iter().zip(requests()) {
        let lasted = span.closed.map(|c| c - span.opened);
        assert!(
            lasted.is_some_and(|d| d >= request.work),
            "request {}'s span lasted {lasted:?} (None: never closed), less than its \
             work, {:?}: the span must cover the whole request",
            request.id,
            request.work,
        );
    }
    let slowest = spans
        .iter()
        .max_by_key(|s| s.closed.map(|c| c - s.opened))
        .and_then(|s| s.id);
    assert_eq!(
        slowest,
        Some(2),
        "the longest span should be the slow request's"
    );
}
