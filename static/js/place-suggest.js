// Place-name suggestions for the service finder: type 昆山 and pick the division.
// Without JavaScript the server resolves the typed place name itself.
(function () {
  "use strict";

  var DELAY_MS = 150;

  function setup(form) {
    var input = form.querySelector("[data-place-input]");
    var list = form.querySelector("[data-place-suggestions]");
    if (!input || !list) {
      return;
    }
    var timer = null;

    function choose(region) {
      // Submit exactly this division: the cascading selects step aside.
      form.querySelectorAll("select[data-region-select]").forEach(function (select) {
        select.removeAttribute("name");
      });
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "region_code";
      hidden.value = region.code;
      form.appendChild(hidden);
      input.value = region.name;
      input.removeAttribute("name");
      form.submit();
    }

    function show(regions) {
      list.textContent = "";
      regions.slice(0, 8).forEach(function (region) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary outline";
        button.dataset.regionCode = region.code;
        button.textContent = region.name + " (" + region.code + ")";
        button.addEventListener("click", function () { choose(region); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = regions.length === 0;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) {
        show([]);
        return;
      }
      timer = setTimeout(function () {
        var url = form.dataset.regionsUrl + "?q=" + encodeURIComponent(text) + "&page_size=8";
        fetch(url, {headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(show)
          .catch(function () { show([]); });
      }, DELAY_MS);
    });
  }

  document.querySelectorAll("form[data-regions-url]").forEach(setup);
}());
