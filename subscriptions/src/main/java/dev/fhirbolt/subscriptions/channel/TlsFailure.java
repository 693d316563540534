package dev.fhirbolt.subscriptions.channel;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why an https rest-hook endpoint was refused, in words a subscriber can act on (it becomes Subscription.error): the
 * JSSE's own messages name internal classes ("PKIX path building failed: sun.security...").
 */
final class TlsFailure {

    private TlsFailure() {
    }

    static String reason(SSLException e, String host) {
        if (e instanceof SSLPeerUnverifiedException) { // HttpClient's host-name verification
            return "its TLS certificate is not for the host name " + host + " (" + e.getMessage() + ")";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertPathBuilderException) {
                return "its TLS certificate is not trusted (not issued by a certificate authority in the trust"
                        + " store)";
            }
            if (c instanceof CertPathValidatorException v) {
                return "its TLS certificate is not valid (" + v.getMessage() + ")";
            }
        }
        return "the TLS handshake failed (" + e.getMessage() + ")";
    }
}
