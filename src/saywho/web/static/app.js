// saywho: selecting a statement on an article page. Everything else works without JavaScript.
// Clicking a highlighted passage opens that statement's record; opening a record highlights its spans.
(function () {
  "use strict";
  var text = document.getElementById("text");
  if (!text) return;
  var segments = Array.prototype.slice.call(text.querySelectorAll(".hl"));
  var records = Array.prototype.slice.call(document.querySelectorAll("details.record"));

  function ids(el) { return (el.getAttribute("data-st") || "").split(" ").filter(Boolean); }

  function roleOf(el, id) {
    var pairs = (el.getAttribute("data-roles") || "").split(" ");
    for (var i = 0; i < pairs.length; i++) {
      var p = pairs[i].split(":");
      if (p[0] === id) return p[1];
    }
    return "";
  }

  function select(id) {
    document.body.classList.toggle("selecting", id !== null);
    var first = null;
    segments.forEach(function (el) {
      var on = id !== null && ids(el).indexOf(id) >= 0;
      el.classList.toggle("on", on);
      if (on) {
        el.setAttribute("data-active", roleOf(el, id));
        if (!first) first = el;
      } else {
        el.removeAttribute("data-active");
      }
    });
    records.forEach(function (r) {
      var mine = r.getAttribute("data-st") === id;
      r.classList.toggle("selected", mine);
      if (!mine && r.open) r.open = false;
    });
    return first;
  }

  records.forEach(function (r) {
    r.addEventListener("toggle", function () {
      if (r.open) {
        var first = select(r.getAttribute("data-st"));
        if (first && first.scrollIntoView && !inView(first)) first.scrollIntoView({ block: "center" });
      } else if (r.classList.contains("selected")) {
        select(null);
      }
    });
  });

  var last = { el: null, i: 0 };
  text.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest(".hl") : null;
    if (!el) return;
    var choices = ids(el);
    // A passage inside several statements: the innermost first, the others on further clicks.
    var primary = el.getAttribute("data-primary");
    choices.sort(function (a, b) { return (a === primary ? -1 : 0) - (b === primary ? -1 : 0); });
    last.i = last.el === el ? (last.i + 1) % choices.length : 0;
    last.el = el;
    var record = document.getElementById("st-" + choices[last.i]);
    if (!record) return;
    record.open = true;
    select(choices[last.i]);
    if (!inView(record)) record.scrollIntoView({ block: "nearest" });
  });

  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  var m = /^#st-(\d+)$/.exec(window.location.hash);
  if (m) {
    var target = document.getElementById("st-" + m[1]);
    if (target) { target.open = true; select(m[1]); }
  }
})();
