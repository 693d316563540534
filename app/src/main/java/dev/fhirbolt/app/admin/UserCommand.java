package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fhirbolt user add|passwd|lock|unlock|list}: the sign-in users of a running server, through its admin API. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the users who sign in to a running server (admin credentials needed).",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Lock.class,
                UserCommand.Unlock.class, UserCommand.ListUsers.class})
public final class UserCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    /** The new password: given with --password, else $FHIRBOLT_USER_PASSWORD, else asked for at the terminal. */
    static final class Password {
        @Option(names = "--password", arity = "0..1", interactive = true,
                description = "The password, at least 8 characters (default: $FHIRBOLT_USER_PASSWORD, else asked).")
        char[] password;

        String value() {
            if (password != null && password.length > 0) {
                return new String(password);
            }
            String env = System.getenv("FHIRBOLT_USER_PASSWORD");
            if (env != null && !env.isEmpty()) {
                return env;
            }
            throw new CommandException("give the password: --password (asked for at the terminal when no value"
                    + " follows) or $FHIRBOLT_USER_PASSWORD");
        }
    }

    static String path(String username) {
        return "/users/" + URLEncoder.encode(username, StandardCharsets.UTF_8);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user linked to a FHIR resource.")
    static final class Add implements Callable<Integer> {
        @Mixin
        AdminOptions server = new AdminOptions();
        @Mixin
        Password password = new Password();
        @Parameters(index = "0", description = "The user name (letters, digits, '.', '_', '@', '-').")
        String username;
        @Option(names = "--fhir-user", required = true,
                description = "The FHIR resource the user is: Practitioner/<id>, Patient/<id>, RelatedPerson/<id> or"
                        + " Person/<id>.")
        String fhirUser;
        @Option(names = "--name", description = "A name to greet the user with (default: the user name).")
        String name;
        @Option(names = "--admin", description = "Give the user the admin role: signed in to the console, they use its"
                + " administration pages without the admin password.")
        boolean admin;

        @Override
        public Integer call() {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            body.put("username", username);
            body.put("password", password.value());
            body.put("fhirUser", fhirUser);
            if (name != null) {
                body.put("name", name);
            }
            if (admin) {
                body.put("admin", true);
            }
            JsonNode made = server.call("POST", "/users", body.toString());
            System.out.println("added user '" + made.path("username").asText(username) + "' ("
                    + made.path("fhirUser").asText(fhirUser) + (made.path("admin").asBoolean() ? ", admin role" : "")
                    + ")");
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's password (this also lifts a lock-out after failed sign-ins).")
    static final class Passwd implements Callable<Integer> {
        @Mixin
        AdminOptions server = new AdminOptions();
        @Mixin
        Password password = new Password();
        @Parameters(index = "0", description = "The user name.")
        String username;

        @Override
        public Integer call() {
            ObjectNode body = AdminClient.JSON.createObjectNode();
            body.put("password", password.value());
            server.call("PUT", path(username) + "/password", body.toString());
            System.out.println("set the password of '" + username + "'");
            return 0;
        }
    }

    /** Lock and unlock: one call to the user's lock, the user named as the only parameter. */
    abstract static class LockChange implements Callable<Integer> {
        @Mixin
        AdminOptions server = new AdminOptions();
        @Parameters(index = "0", description = "The user name.")
        String username;

        private final String method;
        private final String done;

        LockChange(String method, String done) {
            this.method = method;
            this.done = done;
        }

        @Override
        public Integer call() {
            server.call(method, path(username) + "/lock", null);
            System.out.println(done + " '" + username + "'");
            return 0;
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Lock a user until unlocked: no more sign-ins, and their app approvals are revoked.")
    static final class Lock extends LockChange {
        Lock() {
            super("POST", "locked");
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Unlock a user.")
    static final class Unlock extends LockChange {
        Unlock() {
            super("DELETE", "unlocked");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        AdminOptions server = new AdminOptions();

        @Override
        public Integer call() {
            JsonNode list = server.call("GET", "/users", null);
            System.out.printf("%-24s %-36s %-28s %-6s %s%n", "USER", "FHIR USER", "NAME", "ROLE", "STATE");
            for (JsonNode u : list.path("users")) {
                String state = u.path("locked").asBoolean() ? "locked" : u.has("lockedUntil")
                        ? "locked until " + u.path("lockedUntil").asText() : "active";
                System.out.printf("%-24s %-36s %-28s %-6s %s%n", u.path("username").asText(),
                        u.path("fhirUser").asText(), u.path("name").asText(""), u.path("admin").asBoolean() ? "admin" : "-",
                        state);
            }
            return 0;
        }
    }
}
