package bench.q;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/hello")
public class Hello {
    public record Greeting(String name, int count) {}

    @GET
    public Greeting hello() {
        return new Greeting("q", 1);
    }
}
