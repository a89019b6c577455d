//! Response bodies read as they arrive: [`ByteStream`] for binary bodies
//! (audio, files), [`EventStream`] for `text/event-stream`.
//!
//! A streamed body is never gathered whole, so `ClientConfig::
//! max_response_bytes` does not bound it; [`Response::collect`] does, when
//! a caller wants the bytes after all. The client's `timeout` still covers
//! the whole exchange, body included: a long-lived event stream needs a
//! client built with a timeout to match.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Body as _;

use super::response::BoundedBody;
use super::{Error, Response};

/// A response body read chunk by chunk, as the server sends it.
///
/// Read it with [`ByteStream::next_chunk`], or as a
/// [`futures_core::Stream`] of `Result<Bytes, StreamError>`.
pub struct ByteStream {
    body: reqwest::Body,
    /// The client's `max_response_bytes`, for [`Response::collect`].
    limit: usize,
    attempts: u32,
    done: bool,
    /// How to send the request again, where that is safe: an
    /// `EventStream` read from this body resumes with it after a drop.
    /// Boxed: a runtime and a request are large, and most streams have none.
    resume: Option<Box<Resume>>,
}

/// What it takes to send a streaming request again (read by `EventStream`,
/// with the `sse` feature).
#[derive(Clone)]
#[cfg_attr(not(feature = "sse"), allow(dead_code))]
pub(crate) struct Resume {
    pub runtime: crate::Runtime,
    pub request: crate::Request,
    pub streams: fn(u16) -> bool,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response, limit: usize, attempts: u32) -> Self {
        ByteStream {
            body: reqwest::Body::from(response),
            limit,
            attempts,
            done: false,
            resume: None,
        }
    }

    pub(crate) fn resumable(mut self, resume: Option<Box<Resume>>) -> Self {
        self.resume = resume;
        self
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, StreamError>> {
        let chunk = std::future::poll_fn(|cx| self.poll_chunk(cx)).await?;
        Some(chunk.map_err(StreamError::Transport))
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, reqwest::Error>>> {
        while !self.done {
            let frame = match Pin::new(&mut self.body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(frame) => frame,
            };
            match frame {
                // Trailers and empty frames carry no body bytes: read on.
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                    _ => {}
                },
                Some(Err(error)) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => self.done = true,
            }
        }
        Poll::Ready(None)
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map_err(StreamError::Transport)))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Response<ByteStream> {
    /// Reads the whole body, as the buffered methods do: at most the
    /// client's `max_response_bytes`, else [`Error::ResponseTooLarge`] with
    /// what was read. The bytes are also kept in [`Response::raw`].
    pub async fn collect<E>(self) -> Result<Response<Bytes>, Error<E>> {
        let (mut stream, raw) = self.into_parts();
        let mut body = BoundedBody::new(stream.limit, None);
        while let Some(chunk) = std::future::poll_fn(|cx| stream.poll_chunk(cx)).await {
            let chunk = chunk.map_err(|source| Error::Transport {
                source,
                attempts: stream.attempts,
            })?;
            if let Err(read) = body.push(chunk) {
                return Err(Error::ResponseTooLarge {
                    response: raw.with_body(read),
                    limit: stream.limit,
                });
            }
        }
        let bytes = body.finish();
        let raw = raw.with_body(bytes.clone());
        Ok(Response::new(bytes, raw))
    }
}

/// Why a streamed body stopped before its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or timed out mid-body.
    Transport(reqwest::Error),
    /// The bytes are not what the media type promises (an event field that
    /// is not UTF-8).
    Malformed(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(error) => write!(f, "the body stopped mid-way: {error}"),
            StreamError::Malformed(reason) => write!(f, "the body is malformed: {reason}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(error) => Some(error),
            StreamError::Malformed(_) => None,
        }
    }
}

#[cfg(feature = "sse")]
pub use events::{Event, EventStream};

#[cfg(feature = "sse")]
mod events {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use futures_core::Stream;
    use serde::de::DeserializeOwned;

    use super::{ByteStream, Resume, StreamError};

    /// One server-sent event, as the WHATWG event-stream format defines it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    #[non_exhaustive]
    pub struct Event {
        /// The event type: `message` unless the server named one.
        pub event: String,
        /// The data lines, joined with `\n`.
        pub data: String,
        /// The last event id the stream set, if any (it carries over to
        /// later events, as the format says).
        pub id: Option<String>,
        /// The reconnection time the server asked for with this event.
        pub retry: Option<Duration>,
    }

    impl Event {
        /// The data decoded as JSON, as most APIs send it.
        pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
            serde_json::from_str(&self.data)
        }
    }

    /// A `text/event-stream` body, read event by event as it arrives.
    ///
    /// Read it with [`EventStream::next_event`], or as a
    /// [`futures_core::Stream`] of `Result<Event, StreamError>`. Blocks
    /// without data (comments, a lone `retry`) are not events, as in a
    /// browser's `EventSource`; an unfinished last block is dropped.
    ///
    /// Where the operation is safe to repeat (a `GET`, any idempotent
    /// method, or one marked `x-agent-clients-idempotent`), a stream that
    /// drops mid-way is resumed as `EventSource` does: after the delay the
    /// server's last `retry:` asked for (else the retry policy's first
    /// backoff), the request is sent again with `Last-Event-ID` set to the
    /// last event id seen, and the events continue. The client's retry
    /// policy bounds it: at most `max_attempts - 1` reconnections, and
    /// `max_retry_time` of waiting, since the last event received. A stream
    /// that ends cleanly is not resumed, and a resumption that is refused
    /// ends the stream with the drop's error.
    pub struct EventStream {
        // Parsing is sse-stream's (the WHATWG algorithm, CR/LF/CRLF, BOM).
        inner: sse_stream::SseByteStream<ByteStream>,
        last_id: Option<String>,
        /// The reconnection time the server last asked for.
        retry: Option<Duration>,
        resume: Option<Box<Resume>>,
        /// Reconnections, and time waited, since the last event.
        reconnects: u32,
        waited: Duration,
        /// A reconnection under way, and the drop's error should it fail.
        reconnecting: Option<(Reconnect, StreamError)>,
    }

    type Reconnect = Pin<Box<dyn Future<Output = Option<ByteStream>> + Send>>;

    impl EventStream {
        /// Events from a body stream (what generated methods return).
        pub fn new(mut body: ByteStream) -> Self {
            let resume = body.resume.take();
            EventStream {
                inner: sse_stream::SseByteStream::new(body),
                last_id: None,
                retry: None,
                resume,
                reconnects: 0,
                waited: Duration::ZERO,
                reconnecting: None,
            }
        }

        /// The next event; `None` at the end of the stream.
        pub async fn next_event(&mut self) -> Option<Result<Event, StreamError>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// A reconnection after `error`, if the stream may resume and its
        /// bounds allow another.
        fn reconnect(&mut self, error: &StreamError) -> Option<Reconnect> {
            let resume = Resume::clone(self.resume.as_deref()?);
            if !matches!(error, StreamError::Transport(_)) {
                return None;
            }
            let policy = resume.runtime.retry_policy();
            let delay = self.retry.unwrap_or(policy.initial_backoff);
            if self.reconnects + 1 >= policy.max_attempts
                || self.waited + delay > policy.max_retry_time
            {
                return None;
            }
            self.reconnects += 1;
            self.waited += delay;
            let last_id = self.last_id.clone();
            Some(Box::pin(async move {
                tokio::time::sleep(delay).await;
                let mut request = resume.request.clone();
                if let Some(id) = &last_id {
                    request.header::<()>("last-event-id", id).ok()?;
                }
                match resume
                    .runtime
                    .send_streaming::<()>(request, resume.streams)
                    .await
                {
                    Ok(crate::Sent::Streaming(response)) => Some(response.into_parts().0),
                    _ => None,
                }
            }))
        }
    }

    impl Stream for EventStream {
        type Item = Result<Event, StreamError>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = self.get_mut();
            loop {
                if let Some((reconnect, _)) = &mut this.reconnecting {
                    let body = match reconnect.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(body) => body,
                    };
                    let (_, error) = this.reconnecting.take().expect("a reconnection under way");
                    match body {
                        Some(body) => this.inner = sse_stream::SseByteStream::new(body),
                        None => return Poll::Ready(Some(Err(error))),
                    }
                }
                let block = match Pin::new(&mut this.inner).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Ready(Some(Err(error))) => {
                        let error = stream_error(error);
                        match this.reconnect(&error) {
                            Some(reconnect) => {
                                this.reconnecting = Some((reconnect, error));
                                continue;
                            }
                            None => return Poll::Ready(Some(Err(error))),
                        }
                    }
                    Poll::Ready(Some(Ok(block))) => block,
                };
                if block.id.is_some() {
                    this.last_id = block.id;
                }
                let retry = block.retry.map(Duration::from_millis);
                if retry.is_some() {
                    this.retry = retry;
                }
                let Some(data) = block.data else { continue };
                this.reconnects = 0;
                this.waited = Duration::ZERO;
                return Poll::Ready(Some(Ok(Event {
                    event: block
                        .event
                        .filter(|name| !name.is_empty())
                        .unwrap_or_else(|| "message".to_string()),
                    data,
                    id: this.last_id.clone(),
                    retry,
                })));
            }
        }
    }

    impl std::fmt::Debug for EventStream {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("EventStream")
                .field("last_id", &self.last_id)
                .field("resumable", &self.resume.is_some())
                .finish_non_exhaustive()
        }
    }

    /// sse-stream boxes the body's error; ours is a `StreamError` already.
    fn stream_error(error: sse_stream::Error) -> StreamError {
        match error {
            sse_stream::Error::Body(source) => match source.downcast::<StreamError>() {
                Ok(error) => *error,
                Err(other) => StreamError::Malformed(other.to_string()),
            },
            other => StreamError::Malformed(other.to_string()),
        }
    }
}
