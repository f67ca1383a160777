/* aiwarden assessment report: progressive enhancement only.
 * The page is complete without this script. It adds the status filter, "expand all /
 * collapse all", opens the drill-down a link points into, and expands everything for
 * printing. It reads nothing but the page's own markup and fetches nothing. */
(function () {
  "use strict";
  var doc = document;
  var rows = Array.prototype.slice.call(doc.querySelectorAll("details.g"));
  var groups = Array.prototype.slice.call(doc.querySelectorAll(".area-group"));
  var chips = Array.prototype.slice.call(doc.querySelectorAll("[data-filter]"));
  var empty = doc.querySelector(".filter-empty");

  doc.body.classList.remove("no-js");
  doc.body.classList.add("js");
  Array.prototype.forEach.call(doc.querySelectorAll("[data-js-only]"), function (el) {
    el.hidden = false;
  });

  function applyFilter(key) {
    chips.forEach(function (chip) {
      chip.setAttribute("aria-pressed", String(chip.getAttribute("data-filter") === key));
    });
    rows.forEach(function (row) {
      row.hidden = key !== "all" && row.getAttribute("data-status") !== key;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("details.g:not([hidden])");
    });
    if (empty) {
      empty.hidden = rows.some(function (row) { return !row.hidden; });
    }
  }

  function setAll(open) {
    rows.forEach(function (row) {
      if (!row.hidden) { row.open = open; }
    });
  }

  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      applyFilter(chip.getAttribute("data-filter"));
    });
  });
  Array.prototype.forEach.call(doc.querySelectorAll("[data-expand]"), function (button) {
    button.addEventListener("click", function () {
      setAll(button.getAttribute("data-expand") === "open");
    });
  });

  /* Open the drill-down that holds the element a link or the URL points to. */
  function reveal(id, scroll) {
    var target = id ? doc.getElementById(id) : null;
    if (!target) { return; }
    var row = target.closest("details.g");
    if (row) {
      if (row.hidden) { applyFilter("all"); }
      row.open = true;
    }
    if (scroll) { target.scrollIntoView({ block: "start" }); }
  }

  function idOf(hash) {
    try { return decodeURIComponent(hash.replace(/^#/, "")); } catch (e) { return ""; }
  }

  doc.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (link) { reveal(idOf(link.getAttribute("href")), false); }
  });
  window.addEventListener("hashchange", function () { reveal(idOf(location.hash), true); });
  if (location.hash) { reveal(idOf(location.hash), true); }

  /* Print everything: remember which drill-downs were open and restore them after. */
  var before = null;
  function openForPrint() {
    if (before) { return; }
    before = rows.map(function (row) { return row.open; });
    rows.forEach(function (row) { row.open = true; });
  }
  function restoreAfterPrint() {
    if (!before) { return; }
    rows.forEach(function (row, i) { row.open = before[i]; });
    before = null;
  }
  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", restoreAfterPrint);
})();
