/* The sidebar buttons of sphinx-book-theme 1.3.0 with pydata-sphinx-theme 0.17.1.
 *
 * pydata-sphinx-theme 0.17 renders its own .primary-toggle and .secondary-toggle
 * buttons in its top bar (hidden in this book) and binds its click handler, which
 * opens the sidebar as a modal dialog, to the *first* element of each class only
 * (pydata-sphinx-theme issue 2451). The buttons that sphinx-book-theme shows in the
 * article header (the menu button at the left, the contents button at the right)
 * come second and did nothing. Here:
 *   - on a narrow screen (the sidebars are hidden) each visible button forwards its
 *     click to the bound one, which opens the sidebar as a dialog, as on the
 *     theme's own demo site;
 *   - on a wide screen the menu button hides or shows the left sidebar in place, as
 *     sphinx-book-theme did before pydata-sphinx-theme 0.16.
 */
(() => {
  const WIDE = window.matchMedia("(min-width: 960px)");
  const setup = () => {
    for (const cls of ["primary-toggle", "secondary-toggle"]) {
      const [bound, ...unbound] = document.querySelectorAll("." + cls);
      for (const button of unbound) {
        button.addEventListener("click", (event) => {
          event.preventDefault();
          event.stopPropagation();
          if (cls === "primary-toggle" && WIDE.matches) {
            document.body.classList.toggle("book-primary-hidden");
          } else {
            bound.click();
          }
        });
      }
    }
  };
  // Accessible names (axe-core): a button's name includes the text it shows, its
  // icons are decoration, and the sidebar (logo and book contents) is a landmark.
  const names = () => {
    for (const button of document.querySelectorAll(".search-button-field[aria-label]")) {
      button.removeAttribute("aria-label"); // named by its text: "Search Ctrl+K"
    }
    // Font Awesome swaps each icon for an SVG with a <title> ("Light", "Dark"),
    // which would count as the button's text: the button's label names it.
    const quiet = (button) => {
      for (const title of button.querySelectorAll("svg title")) title.remove();
      for (const icon of button.querySelectorAll("i, svg")) {
        icon.setAttribute("aria-hidden", "true");
        icon.removeAttribute("aria-labelledby");
      }
    };
    for (const button of document.querySelectorAll("button[aria-label]")) {
      quiet(button);
      new MutationObserver(() => quiet(button)).observe(button, {
        childList: true,
        subtree: true,
      });
    }
    // the bibliography's entries are not list items: no list role around them
    for (const list of document.querySelectorAll('.citation-list[role="list"]')) {
      list.removeAttribute("role");
    }
    for (const entry of document.querySelectorAll('[role="doc-biblioentry"]')) {
      entry.removeAttribute("role"); // a deprecated role (axe-core)
    }
    const sidebar = document.querySelector(".bd-sidebar-primary");
    if (sidebar && !sidebar.getAttribute("role")) {
      sidebar.setAttribute("role", "region");
      sidebar.setAttribute("aria-label", "Book contents");
    }
  };
  const ready = () => {
    setup();
    names();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
