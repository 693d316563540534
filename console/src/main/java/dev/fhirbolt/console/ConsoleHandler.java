package dev.fhirbolt.console;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /console/**}, and sends a browser that opens the root or a FHIR URL (Accept: text/html, no
 * {@code _format}) to the console's view of it; FHIR clients pass on to the FHIR handler untouched.
 */
final class ConsoleHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

    private final ConsoleSettings settings;
    private final Function<Request, String> baseUrl;
    private final FhirGateway gateway;
    private final Clock clock;
    private final Sessions sessions;
    private final Tokens tokens;
    private final SignIn signIn;
    private final Assets assets = new Assets();
    private final ConsolePages pages;

    private final SampleApp sampleApp = new SampleApp();

    ConsoleHandler(ConsoleSettings settings, Function<Request, String> baseUrl, FhirGateway gateway,
            ServerStatus status, Clock clock) {
        this(settings, baseUrl, gateway, status, clock, AuditTokens.NONE);
    }

    ConsoleHandler(ConsoleSettings settings, Function<Request, String> baseUrl, FhirGateway gateway,
            ServerStatus status, Clock clock, AuditTokens auditTokens) {
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.gateway = gateway;
        this.clock = clock;
        this.sessions = new Sessions(clock);
        this.tokens = new Tokens(gateway, settings, clock);
        this.signIn = new SignIn(settings, sessions, tokens);
        this.pages = new ConsolePages(status, clock, gateway, auditTokens, settings.stateDir());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String query = request.getHttpURI().getQuery();
        if (path.startsWith(SampleApp.PREFIX) && ("GET".equals(request.getMethod()) || "HEAD".equals(
                request.getMethod())) && sampleApp.send(path.substring(SampleApp.PREFIX.length()), response, callback)) {
            return true;
        }
        if (!path.equals("/console") && !path.startsWith("/console/")) {
            if (BrowserRequests.isFhirPath(path) && BrowserRequests.wantsHtml(request)) {
                Render.redirect(request, response, callback, path.equals("/") ? "/console/"
                        : "/console/fhir" + path + (query == null ? "" : "?" + query));
                return true;
            }
            return false;
        }
        if (path.equals("/console")) {
            Render.redirect(request, response, callback, "/console/");
            return true;
        }
        String below = path.substring("/console".length());
        boolean adminPost = below.startsWith("/admin/") && "POST".equals(request.getMethod());
        boolean post = "POST".equals(request.getMethod()) && ConsolePages.takesPost(below);
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod()) && !adminPost && !post) {
            error(response, callback, 405, "The console's pages are read with GET (forms are posted).", null);
            return true;
        }
        if (below.startsWith("/assets/") && assets.send(below.substring(8), response, callback)) {
            return true;
        }
        String base = baseUrl.apply(request);
        Visit visit = null;
        try {
            var pairs = Forms.parse(query);
            switch (below) {
                case "/login" -> {
                    signIn.start(request, response, callback, base, Forms.first(pairs, "next"));
                    return true;
                }
                case "/callback" -> {
                    String next = signIn.finish(request, base, Forms.first(pairs, "code"), Forms.first(pairs, "state"),
                            Forms.first(pairs, "error"), Forms.first(pairs, "error_description"));
                    Render.redirect(request, response, callback, next);
                    return true;
                }
                case "/logout" -> {
                    signIn.signOut(request, base);
                    Render.redirect(request, response, callback, "/console/");
                    return true;
                }
                default -> { }
            }
            Session session = null;
            if (settings.secured()) {
                session = sessions.find(request);
                if (session == null || !session.isSignedIn()) {
                    welcome(response, callback, path, query);
                    return true;
                }
            } else {
                session = sessions.findOrCreate(request, response); // for the forms' CSRF tokens
            }
            visit = new Visit(below, query, pairs, new FhirClient(gateway, tokens, settings.secured() ? session : null,
                    base, clock), session, settings.secured());
            Rendered r = adminPost ? pages.adminPost(visit, Forms.parse(FormBodies.read(request)))
                    : post ? pages.post(visit, new Posted(request, session)) : pages.route(visit);
            if (r.raw() != null) {
                Render.raw(response, callback, r.status(), r.raw());
            } else if (r.redirect() != null) {
                Render.redirect(request, response, callback, r.redirect());
            } else if (r.view() instanceof Rendered.Streamed streamed) {
                Render.streamed(response, callback, r.template(), streamed, e -> failedWhileStreaming(path, e));
            } else {
                Render.page(response, callback, r.status(), r.template(), r.view());
            }
        } catch (FhirClient.SignInNeeded e) {
            welcome(response, callback, path, query);
        } catch (ConsoleException e) {
            error(response, callback, e.status(), e.getMessage(), visit);
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("console page {} failed, incident {}", path, incident, e);
            error(response, callback, 500, "The page failed unexpectedly; the administrator can find incident "
                    + incident + " in the server's log.", visit);
        }
        return true;
    }

    /** What a streamed page shows in place of its content when making it failed (its status is sent already). */
    private static String failedWhileStreaming(String path, RuntimeException e) {
        String message;
        if (e instanceof FhirClient.SignInNeeded) {
            return "<p class=\"error\" role=\"alert\" id=\"error\">Your sign-in has ended. "
                    + "<a href=\"/console/login\">Sign in again</a>.</p>";
        } else if (e instanceof ConsoleException) {
            message = e.getMessage();
        } else {
            String incident = UUID.randomUUID().toString();
            LOG.error("console page {} failed, incident {}", path, incident, e);
            message = "The page failed unexpectedly; the administrator can find incident " + incident
                    + " in the server's log.";
        }
        return "<p class=\"error\" role=\"alert\" id=\"error\">" + Esc.html(message) + "</p>";
    }

    private void welcome(Response response, Callback callback, String path, String query) {
        Render.page(response, callback, 200, "welcome.jte", new Views.Welcome(
                new Views.Frame("Welcome to the Fhirbolt Console", "", null, settings.secured()),
                SignIn.safeNext(path + (query == null ? "" : "?" + query))));
    }

    private void error(Response response, Callback callback, int status, String message, Visit visit) {
        Views.Frame frame = visit != null ? visit.frame("Cannot show this page", "")
                : new Views.Frame("Cannot show this page", "", null, settings.secured());
        Render.page(response, callback, status, "error.jte", new Views.Error(frame, status, message, false));
    }
}
