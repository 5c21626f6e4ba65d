package dev.bakecache.engine.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the Firebase Storage emulator's rules runtime, a jar the emulator downloads at
 * start, which cannot happen offline. The emulator only needs it to answer: it says it is up,
 * accepts every ruleset and denies every Firebase-SDK request. The GCS JSON API the tests use is
 * served as an admin and never asks it. Speaks the runtime's protocol: one JSON object a line on
 * stdin and stdout, answered by id. Runs as {@code java -jar} in a process of its own, so it must
 * stay one class without nested ones.
 */
public final class RulesRuntimeStandIn {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+)");

    private RulesRuntimeStandIn() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("{\"id\":-1,\"status\":\"ok\"}");
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String request = requests.readLine(); request != null; request = requests.readLine()) {
            Matcher id = ID.matcher(request);
            String lastId = null;
            while (id.find()) {
                lastId = id.group(1);
            }
            if (lastId == null) {
                continue;
            }
            String result = request.contains("\"load_ruleset\"") ? "{\"rulesVersion\":2}" : "{\"permit\":false}";
            System.out.println("{\"id\":" + lastId + ",\"status\":\"ok\",\"errors\":[],\"warnings\":[],\"result\":"
                    + result + "}");
        }
    }
}
