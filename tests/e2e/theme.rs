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
