/* assist consumer widget loader. Paste into the lender's page:
 *   <script src="https://ASSIST-HOST/widget.js" async></script>
 * Optional attributes: data-title="防骗小助手" data-position="left".
 * Adds a floating button that opens the chat in an iframe served by the same host (no CDN, no cookies). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__assistWidget) { return; }
  window.__assistWidget = true;
  var base = new URL(script.src, document.baseURI).origin;
  var title = script.getAttribute("data-title") || "防骗小助手";
  var left = script.getAttribute("data-position") === "left";
  var frame = null;

  var button = document.createElement("button");
  button.type = "button";
  button.id = "assist-widget-button";
  button.textContent = "防骗咨询";
  button.setAttribute("aria-label", "打开" + title);
  button.setAttribute("aria-expanded", "false");
  var b = button.style;
  b.position = "fixed"; b.bottom = "20px"; b[left ? "left" : "right"] = "20px"; b.zIndex = "2147483646";
  b.padding = "12px 18px"; b.border = "none"; b.borderRadius = "24px"; b.background = "#c0392b"; b.color = "#fff";
  b.fontSize = "16px"; b.fontFamily = "system-ui, 'PingFang SC', 'Noto Sans CJK SC', sans-serif";
  b.boxShadow = "0 4px 14px rgba(0,0,0,.25)"; b.cursor = "pointer";

  function layout() {
    if (!frame) { return; }
    var f = frame.style;
    if (window.innerWidth < 600) {           // phone: the chat takes the whole screen
      f.left = "0"; f.right = "0"; f.top = "0"; f.bottom = "0"; f.width = "100%"; f.height = "100%"; f.borderRadius = "0";
    } else {
      f.top = "auto"; f.bottom = "80px"; f[left ? "left" : "right"] = "20px"; f[left ? "right" : "left"] = "auto";
      f.width = "380px"; f.height = Math.min(620, window.innerHeight - 100) + "px"; f.borderRadius = "12px";
    }
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "assist-widget-frame";
      frame.title = title;
      frame.src = base + "/widget";
      frame.setAttribute("referrerpolicy", "no-referrer");
      var f = frame.style;
      f.position = "fixed"; f.zIndex = "2147483647"; f.border = "none"; f.background = "#fff";
      f.boxShadow = "0 8px 30px rgba(0,0,0,.3)";
      document.body.appendChild(frame);
    }
    frame.style.display = "block";
    layout();
    button.setAttribute("aria-expanded", "true");
    if (window.innerWidth < 600) { button.style.display = "none"; }
  }

  function close() {
    if (frame) { frame.style.display = "none"; }
    button.style.display = "block";
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.addEventListener("click", function () {
    if (frame && frame.style.display !== "none") { close(); } else { open(); }
  });
  window.addEventListener("message", function (e) {
    if (e.origin === base && e.data && e.data.type === "assist-close") { close(); }
  });
  window.addEventListener("resize", layout);
  function mount() { document.body.appendChild(button); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
