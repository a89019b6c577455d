//! Every item of a paginated list operation, page after page, each page
//! fetched only when the items before it have been taken.
//!
//! A generated `…_stream` method gives [`Pages`] the one thing that differs
//! between APIs: how to fetch the page after a cursor (the first with
//! none) and read its items and the next cursor. Each page is an ordinary
//! call of the operation's method, so retries, rate limits (`Retry-After`)
//! and errors apply to it as to any call.
//!
//! The stream ends after a page with no items, after a page with no next
//! cursor, or when a server hands back the cursor it was just given (it
//! would loop forever); after an error, it ends too.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::Error;

/// One page: its items and the cursor of the next one, if any.
pub type Page<T> = (Vec<T>, Option<String>);

type PageFuture<'a, T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, Error<E>>> + Send + 'a>>;
type Fetch<'a, T, E> = Box<dyn FnMut(Option<String>) -> PageFuture<'a, T, E> + Send + 'a>;

/// The items of every page of a list, fetched lazily: a
/// `futures_core::Stream` of `Result<T, Error<E>>`, or read with
/// [`Pages::next_item`].
pub struct Pages<'a, T, E> {
    fetch: Fetch<'a, T, E>,
    /// Items of the last page not yet taken.
    items: VecDeque<T>,
    /// The page being fetched.
    pending: Option<PageFuture<'a, T, E>>,
    state: State,
}

/// What comes after the items in hand.
enum State {
    /// The page after this cursor (`None`: the first page).
    Fetch(Option<String>),
    Done,
}

impl<'a, T, E> Pages<'a, T, E> {
    /// Pages that `fetch` reads: given the cursor of a page (`None` for
    /// the first), a future of its items and the next page's cursor.
    #[doc(hidden)]
    pub fn new<F>(mut fetch: impl FnMut(Option<String>) -> F + Send + 'a) -> Self
    where
        F: Future<Output = Result<Page<T>, Error<E>>> + Send + 'a,
    {
        Pages {
            fetch: Box::new(move |cursor| Box::pin(fetch(cursor))),
            items: VecDeque::new(),
            pending: None,
            state: State::Fetch(None),
        }
    }

    /// The next item, fetching the next page when the items in hand are
    /// used up; `None` at the end.
    pub async fn next_item(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error<E>>>> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.pending.is_none() {
                match std::mem::replace(&mut self.state, State::Done) {
                    State::Done => return Poll::Ready(None),
                    State::Fetch(cursor) => {
                        self.state = State::Fetch(cursor.clone());
                        self.pending = Some((self.fetch)(cursor));
                    }
                }
            }
            let pending = self.pending.as_mut().expect("a page is being fetched");
            let outcome = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => outcome,
            };
            self.pending = None;
            let (items, next) = match outcome {
                Ok(page) => page,
                Err(error) => {
                    self.state = State::Done;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            let asked = match &self.state {
                State::Fetch(cursor) => cursor.clone(),
                State::Done => None,
            };
            self.state = match next {
                // An empty page ends the list even when it names a next one.
                _ if items.is_empty() => State::Done,
                // A server that answers a cursor with the same cursor loops.
                Some(next) if asked.as_ref() != Some(&next) => State::Fetch(Some(next)),
                _ => State::Done,
            };
            self.items.extend(items);
        }
    }
}

// Nothing in `Pages` is pinned in place: the page future is boxed, and
// items are moved out, never polled.
impl<T, E> Unpin for Pages<'_, T, E> {}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<T, E> std::fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("items_in_hand", &self.items.len())
            .field("done", &matches!(self.state, State::Done))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Pages over `pages` (each a cursor it answers, its items and the next
    /// cursor), recording the cursors asked for.
    fn pages(
        pages: Vec<(Option<&'static str>, Vec<u32>, Option<&'static str>)>,
        asked: Arc<Mutex<Vec<Option<String>>>>,
    ) -> Pages<'static, u32, ()> {
        Pages::new(move |cursor: Option<String>| {
            asked.lock().unwrap().push(cursor.clone());
            let page = pages
                .iter()
                .find(|(at, _, _)| at.map(str::to_string) == cursor)
                .map(|(_, items, next)| (items.clone(), next.map(str::to_string)))
                .expect("a page the test wrote");
            async move { Ok(page) }
        })
    }

    async fn collect(mut pages: Pages<'_, u32, ()>) -> Vec<u32> {
        let mut items = Vec::new();
        while let Some(item) = pages.next_item().await {
            items.push(item.expect("no error"));
        }
        items
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn three_pages_in_order_each_fetched_when_reached() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let mut stream = pages(
            vec![
                (None, vec![1, 2], Some("b")),
                (Some("b"), vec![3], Some("c")),
                (Some("c"), vec![4, 5], None),
            ],
            asked.clone(),
        );
        block_on(async {
            assert_eq!(stream.next_item().await.unwrap().unwrap(), 1);
            // Only the first page so far.
            assert_eq!(asked.lock().unwrap().len(), 1);
            assert_eq!(collect(stream).await, vec![2, 3, 4, 5]);
        });
        assert_eq!(
            *asked.lock().unwrap(),
            vec![None, Some("b".to_string()), Some("c".to_string())]
        );
    }

    #[test]
    fn an_empty_page_ends_the_list_even_with_a_next_cursor() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            vec![(None, vec![1], Some("b")), (Some("b"), vec![], Some("c"))],
            asked.clone(),
        );
        assert_eq!(block_on(collect(stream)), vec![1]);
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_cursor_answered_with_itself_stops_the_loop() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            vec![(None, vec![1], Some("b")), (Some("b"), vec![2], Some("b"))],
            asked.clone(),
        );
        assert_eq!(block_on(collect(stream)), vec![1, 2]);
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_error_is_an_item_and_ends_the_list() {
        let mut calls = 0;
        let mut stream: Pages<'_, u32, ()> = Pages::new(move |_cursor| {
            calls += 1;
            let page = if calls == 1 {
                Ok((vec![1], Some("b".to_string())))
            } else {
                Err(Error::InvalidRequest(Box::new(crate::InvalidRequest {
                    field: "limit".to_string(),
                    rule: "minimum 1".to_string(),
                    message: "a test failure".to_string(),
                })))
            };
            async move { page }
        });
        block_on(async {
            assert_eq!(stream.next_item().await.unwrap().unwrap(), 1);
            assert!(stream.next_item().await.unwrap().is_err());
            assert!(stream.next_item().await.is_none());
        });
    }
}
