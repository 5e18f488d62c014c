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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
