// intacct-mock Inspector: optional auto-refresh. Without JavaScript the pages are complete; reload them by hand.
(function () {
  "use strict";
  var control = document.querySelector(".live-control");
  var box = document.getElementById("auto-refresh");
  if (!control || !box) { return; }
  control.hidden = false;
  var key = "inspector-auto-refresh:" + location.pathname;
  var timer = null;

  function refresh() {
    fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live][id]").forEach(function (old) {
          var next = fresh.getElementById(old.id);
          if (next) { old.replaceWith(document.importNode(next, true)); }
        });
      })
      .catch(function () { /* the server may be restarting: try again on the next tick */ });
  }

  function apply() {
    if (timer) { clearInterval(timer); timer = null; }
    if (box.checked) { timer = setInterval(refresh, 2000); }
    try { sessionStorage.setItem(key, box.checked ? "1" : ""); } catch (e) { /* storage may be off */ }
  }

  try { box.checked = sessionStorage.getItem(key) === "1"; } catch (e) { /* ignore */ }
  box.addEventListener("change", apply);
  apply();
})();
