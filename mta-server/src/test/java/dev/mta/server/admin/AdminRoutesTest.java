package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The route table: exact paths, prefixes, and what a wrong method or path is told. */
class AdminRoutesTest {
    private static final AdminResource ANY = request -> AdminResponse.text(200, "");
    private final AdminRoute summary = AdminRoute.get("/api/queue/summary", ANY);
    private final AdminRoute message = AdminRoute.getUnder("/api/queue/messages/", ANY);
    private final AdminRoute list = AdminRoute.get("/api/queue/messages", ANY);
    private final AdminRoute hold = AdminRoute.post("/api/queue/hold", ANY);
    private final AdminRoutes routes = new AdminRoutes(List.of(summary, message, list, hold));

    @Test
    void anExactPathFindsItsRoute() {
        assertThat(routes.find("GET", "/api/queue/summary")).isEqualTo(new AdminRoutes.Match.Found(summary));
        assertThat(routes.find("GET", "/api/queue/messages")).isEqualTo(new AdminRoutes.Match.Found(list));
        assertThat(routes.find("POST", "/api/queue/hold")).isEqualTo(new AdminRoutes.Match.Found(hold));
    }

    @Test
    void aPrefixTakesEveryLongerPathButNotItself() {
        assertThat(routes.find("GET", "/api/queue/messages/ABC")).isEqualTo(new AdminRoutes.Match.Found(message));
        assertThat(new AdminRoutes(List.of(message)).find("GET", "/api/queue/messages/"))
                .isEqualTo(new AdminRoutes.Match.NotFound());
    }

    @Test
    void theLongestPrefixWins() {
        AdminRoute api = AdminRoute.getUnder("/api/", ANY);
        AdminRoutes both = new AdminRoutes(List.of(api, message));
        assertThat(both.find("GET", "/api/queue/messages/X")).isEqualTo(new AdminRoutes.Match.Found(message));
        assertThat(both.find("GET", "/api/other")).isEqualTo(new AdminRoutes.Match.Found(api));
    }

    @Test
    void aKnownPathWithAnotherMethodNamesTheMethodsItHas() {
        assertThat(routes.find("GET", "/api/queue/hold")).isEqualTo(new AdminRoutes.Match.WrongMethod("POST"));
        assertThat(routes.find("DELETE", "/api/queue/messages/ABC")).isEqualTo(new AdminRoutes.Match.WrongMethod("GET"));
        AdminRoutes two = new AdminRoutes(List.of(list, AdminRoute.post("/api/queue/messages", ANY)));
        assertThat(two.find("PUT", "/api/queue/messages")).isEqualTo(new AdminRoutes.Match.WrongMethod("GET, POST"));
    }

    @Test
    void anUnknownPathIsNotFoundWhateverTheMethod() {
        assertThat(routes.find("GET", "/api/queue")).isEqualTo(new AdminRoutes.Match.NotFound());
        assertThat(routes.find("POST", "/api/queue/summary/more")).isEqualTo(new AdminRoutes.Match.NotFound());
    }

    @Test
    void twoRoutesForTheSameMethodAndPathAreRefused() {
        assertThatThrownBy(() -> new AdminRoutes(List.of(summary, AdminRoute.get("/api/queue/summary", ANY))))
                .hasMessageContaining("two routes for GET /api/queue/summary");
    }

    @Test
    void aPrefixEndsWithASlashAndOnlyGetRoutesOpenToBrowsers() {
        assertThatThrownBy(() -> AdminRoute.getUnder("/api/queue/messages", ANY)).hasMessageContaining("ends with /");
        assertThatThrownBy(() -> AdminRoute.get("api", ANY)).hasMessageContaining("starts with /");
        assertThatThrownBy(hold::forBrowsers).hasMessageContaining("only GET");
    }
}
