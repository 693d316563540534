package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Map;

/**
 * A backend-services client's credentials on disk: its id, the server, the scope it was registered with and its
 * private key (a JWK), readable by its owner only. By default {@code ~/.fhirbolt/clients/<client id>.json}.
 */
record KeyFile(String clientId, String server, String scope, ECKey key) {

    static Path defaultPath(String clientId) {
        return Path.of(System.getProperty("user.home"), ".fhirbolt", "clients", clientId + ".json");
    }

    void write(Path file) {
        ObjectNode n = AdminClient.JSON.createObjectNode();
        n.put("client_id", clientId);
        n.put("server", server);
        n.put("scope", scope);
        n.set("key", AdminClient.JSON.valueToTree(key.toJSONObject()));
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the directory's permissions
            }
        } catch (FileAlreadyExistsException e) {
            throw new CommandException("the key file " + file + " exists already; choose another with --key-file"
                    + " or remove it first");
        } catch (IOException e) {
            throw new CommandException("cannot write the key file " + file + ": " + e.getMessage());
        }
    }

    static KeyFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandException("no key file at " + file + " (create one with: fhirbolt client add)");
        }
        try {
            JsonNode n = AdminClient.JSON.readTree(file.toFile());
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = AdminClient.JSON.convertValue(n.path("key"), Map.class);
            return new KeyFile(n.path("client_id").asText(), n.path("server").asText(null),
                    n.path("scope").asText(""), ECKey.parse(jwk));
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new CommandException("the key file " + file + " is not one fhirbolt wrote: " + e.getMessage());
        }
    }
}
