//! Implicit TLS (`smtp_security = "tls"`, port 465) over our own no-delay
//! TCP stream (docs/performance.md, "Mail"): lettre's own implicit-TLS
//! connect opens a socket without TCP_NODELAY, so one connection would wait
//! on Nagle's algorithm (about 40 ms a message). Here lettre's TLS upgrade
//! runs over our socket, and the encrypted stream is handed back to lettre
//! through `connect_with_transport` like the plain one.
//!
//! lettre 0.11 marks `AsyncNetworkStream` deprecated ("not meant to be made
//! public") but offers no other way to run its TLS (and so the same
//! `TlsParameters`, trust roots included, as STARTTLS) over a stream of
//! ours; the allowance is confined to this module.
#![allow(deprecated)]

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_io::{AsyncRead as FuturesRead, AsyncWrite as FuturesWrite};
use lettre::transport::smtp::client::{AsyncNetworkStream, AsyncTokioStream, TlsParameters};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// A TLS session over a no-delay TCP stream, readable by lettre's client.
#[derive(Debug)]
pub struct ImplicitTls(AsyncNetworkStream);

/// Runs the TLS handshake (certificate and host name checked against
/// `tls`'s roots) over `tcp`, which has TCP_NODELAY set already.
pub async fn handshake(
    tcp: TcpStream,
    tls: TlsParameters,
) -> Result<ImplicitTls, lettre::transport::smtp::Error> {
    let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
    stream.upgrade_tls(tls).await?;
    Ok(ImplicitTls(stream))
}

impl AsyncRead for ImplicitTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = ready!(Pin::new(&mut self.0).poll_read(cx, buf.initialize_unfilled()))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_close(cx)
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}
