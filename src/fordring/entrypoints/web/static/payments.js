// Innbetalinger (payments_page.py): the bank file's upload shows how much is sent, and the
// import's refusals (422: malformed, 409: imported before) are shown under the form like
// its result (htmx swaps only 2xx answers by default). A file here: the pages' Content-
// Security-Policy allows no inline script.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-progress");
  if (bar && event.detail.lengthComputable) {
    bar.max = event.detail.total;
    bar.value = event.detail.loaded;
  }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (event.detail.target.id === "upload-result" && (status === 409 || status === 422)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
