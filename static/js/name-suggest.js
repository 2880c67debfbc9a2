// Institution names suggested while typing in a search box (input[data-name-suggest]).
// The suggestions come from /api/v1/institutions/suggestions (prefix, pinyin or initials)
// and fill the input's <datalist>; without JavaScript the box is a plain search box.
(function () {
  "use strict";

  var DELAY_MS = 150;

  function setup(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.nameSuggest;
    var timer = null;
    if (!list || !url) {
      return;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) {
        list.textContent = "";
        return;
      }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (suggestions) {
            list.textContent = "";
            suggestions.forEach(function (suggestion) {
              var option = document.createElement("option");
              option.value = suggestion.name;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-name-suggest]").forEach(setup);
}());
