// The console's only script: the playground checks the JSON as it is typed and swaps in the answer.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const playground = document.querySelector(".playground");
  if (!playground) {
    return;
  }
  const editor = document.getElementById("message-json");
  const result = document.getElementById("playground-result");
  let timer = null;
  let sent = 0;
  const check = () => {
    const mine = ++sent;
    fetch(playground.dataset.check, {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8", "X-CSRF-Token": playground.dataset.token },
      body: editor.value,
      credentials: "same-origin"
    }).then((response) => response.text()).then((html) => {
      if (mine === sent) { // an older answer never replaces a newer one
        result.innerHTML = html;
      }
    });
  };
  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  result.addEventListener("click", (event) => {
    if (event.target.id === "copy-curl") {
      navigator.clipboard.writeText(document.getElementById("curl").textContent);
    }
  });
});
