//! Site templates and static files override the built-in theme.

use crate::harness::SiteTest;

#[test]
fn site_templates_and_static_files_win() {
    SiteTest::fixture("mini")
        .write(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p>Custom lost page</p>{% endblock main %}",
        )
        .write("static/style.css", "body { color: red }")
        .write("static/img/logo.svg", "<svg/>")
        .build()
        .assert_page("404.html", "Custom lost page")
        .assert_page("style.css", "color: red")
        .assert_file("img/logo.svg")
        .assert_page("index.html", "Mini briefs");
}

#[test]
fn template_errors_name_the_file() {
    SiteTest::fixture("mini")
        .write("templates/claim.html", "{% if %}")
        .build_fails()
        .assert_stderr("error: templates/claim.html: template error");
}

#[test]
fn pages_are_accessible_and_styled() {
    SiteTest::fixture("mini")
        .build()
        .assert_page("index.html", "<html lang=\"en\">")
        .assert_page("index.html", "<meta name=\"viewport\"")
        .assert_page("index.html", "href=\"style.css\"")
        .assert_page(
            "claims/alpha-2024-quantum-0001/index.html",
            "href=\"../../style.css\"",
        )
        .assert_page(
            "claims/alpha-2024-quantum-0001/index.html",
            "<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\">",
        )
        .assert_page("index.html", "class=\"skip-link\" href=\"#main\"")
        .assert_page("style.css", "prefers-color-scheme: dark");
}

#[test]
fn partials_override_and_take_each_page_root() {
    SiteTest::fixture("mini")
        .write(
            "templates/partials/claim_item.html",
            "<li class=\"mine\"><a href=\"{{ root | safe }}{{ c.url | safe }}\">{{ c.id }}</a></li>\n",
        )
        .write(
            "templates/partials/term_chip.html",
            "<li><a class=\"my-chip\" href=\"{{ root | safe }}{{ t.url | safe }}\">{{ t.name }}</a></li>",
        )
        .write(
            "templates/partials/footer.html",
            "<footer><a href=\"{{ root | safe }}index.html\">home of {{ site.title }}</a></footer>",
        )
        .build()
        .assert_page(
            "countries/china/index.html",
            "<li class=\"mine\"><a href=\"../../claims/alpha-2024-quantum-0002/index.html\">",
        )
        .assert_page_lacks("countries/china/index.html", "class=\"claim-item")
        .assert_page(
            "claims/alpha-2024-quantum-0002/index.html",
            "<a class=\"my-chip\" href=\"../../countries/china/index.html\">China</a>",
        )
        .assert_page(
            "claims/alpha-2024-quantum-0002/index.html",
            "<footer><a href=\"../../index.html\">home of Mini briefs</a></footer>",
        )
        .assert_page(
            "index.html",
            "<footer><a href=\"index.html\">home of Mini briefs</a></footer>",
        )
        .check_links(None);
}

#[test]
fn partial_errors_name_the_partial() {
    SiteTest::fixture("mini")
        .write("templates/partials/claim_item.html", "{{ c.nothing.here }}")
        .build_fails()
        .assert_stderr("partials/claim_item.html");
}
