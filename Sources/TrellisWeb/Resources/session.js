// Print buttons (`data-print`): the Content-Security-Policy allows no inline handlers, so the click is wired here.
document.addEventListener("click", function (e) {
  var target = e.target && e.target.closest ? e.target.closest("[data-print]") : null;
  if (target) { window.print(); }
});

// Warns before an idle session ends (issue 15, point 4). The server signs a session out after
// data-idle seconds without a request; this counts from the page's load and offers to stay signed in.
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.getAttribute("data-idle") || 0);
  var box = document.getElementById("idle-warning");
  if (!idle || !box) return;
  var warnBefore = Math.min(120, Math.floor(idle / 4));
  var soon = box.querySelector(".idle-soon");
  var gone = box.querySelector(".idle-gone");
  var stay = box.querySelector("button");
  var timers = [];
  function clear() { timers.forEach(clearTimeout); timers = []; }
  function schedule() {
    clear();
    timers.push(setTimeout(function () {
      box.hidden = false; soon.hidden = false; gone.hidden = true; stay.focus();
    }, (idle - warnBefore) * 1000));
    timers.push(setTimeout(function () {
      box.hidden = false; soon.hidden = true; gone.hidden = false;
    }, idle * 1000));
  }
  stay.addEventListener("click", function () {
    var data = new URLSearchParams();
    data.set("_csrf", body.getAttribute("data-csrf") || "");
    fetch("/me/keepalive", { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
      if (r.ok) { box.hidden = true; schedule(); } else { soon.hidden = true; gone.hidden = false; }
    }, function () { soon.hidden = true; gone.hidden = false; });
  });
  schedule();
})();
