package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;

/**
 * TLS for an https rest-hook endpoint: the JDK's {@link SSLSocket} layered on the connected (interruptible) socket,
 * the handshake against what the {@link SSLContext} trusts (the JDK's trust store in the server), then HttpClient's
 * host-name verification (RFC 2818 rules, public suffixes respected). A certificate for another host is refused with
 * an {@link SSLPeerUnverifiedException} naming the names it does hold ({@link TlsFailure} words it).
 */
final class HookTls {

    private final SSLSocketFactory sockets;
    private final DefaultHostnameVerifier hostNames = new DefaultHostnameVerifier(PublicSuffixMatcherLoader
            .getDefault());

    HookTls(SSLContext context) {
        this.sockets = context.getSocketFactory();
    }

    /** Handshakes over {@code raw} (closed with the returned socket) and checks the certificate names {@code host}. */
    SSLSocket layer(Socket raw, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) sockets.createSocket(raw, host, port, true); // sends the host name (SNI)
        tls.startHandshake();
        try {
            hostNames.verify(host, (X509Certificate) tls.getSession().getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            throw e;
        } catch (SSLException e) {
            throw (SSLPeerUnverifiedException) new SSLPeerUnverifiedException(e.getMessage()).initCause(e);
        }
        return tls;
    }
}
