// Cascading region selects of the directory form (province → prefecture → county).
// Without JavaScript the server fills the next select after each submit; with it, the
// next select is filled at once from /api/v1/regions, and only the deepest choice is
// submitted, so the address reads /institutions?region_code=320583.
(function () {
  "use strict";

  var PAGE_SIZE = 100;

  function regionSelects(form) {
    return Array.prototype.slice.call(form.querySelectorAll("select[data-region-select]"));
  }

  function clear(select) {
    while (select.options.length > 1) {
      select.remove(1);
    }
    select.value = "";
    select.disabled = true;
  }

  function fill(select, regions) {
    regions.forEach(function (region) {
      var option = document.createElement("option");
      option.value = region.code;
      option.textContent = region.name;
      select.appendChild(option);
    });
    select.disabled = regions.length === 0;
  }

  function childrenOf(form, code) {
    var url = form.dataset.regionsUrl + "?parent_code=" + encodeURIComponent(code) +
      "&page_size=" + PAGE_SIZE;
    return fetch(url, {headers: {Accept: "application/json"}}).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function onChange(form, selects, index) {
    var deeper = selects.slice(index + 1);
    deeper.forEach(clear);
    var code = selects[index].value;
    var next = deeper[0];
    if (!code || !next) {
      return;
    }
    next.setAttribute("aria-busy", "true");
    var wanted = code;
    childrenOf(form, code).then(function (regions) {
      if (selects[index].value === wanted) {  // ignore answers to an outdated choice
        fill(next, regions);
      }
    }).catch(function () {
      next.disabled = true;  // the form still works: submitting filters by the choice so far
    }).then(function () {
      next.removeAttribute("aria-busy");
    });
  }

  function keepDeepestChoice(selects) {
    var chosen = selects.filter(function (select) {
      return select.value !== "" && !select.disabled;
    });
    var deepest = chosen[chosen.length - 1];
    selects.forEach(function (select) {
      if (select !== deepest) {
        select.removeAttribute("name");
      }
    });
  }

  function restoreNames(selects) {
    // After "back" the browser may show the page from its cache: keep it submittable.
    selects.forEach(function (select) {
      select.setAttribute("name", "region_code");
    });
  }

  function init(form) {
    var selects = regionSelects(form);
    if (selects.length === 0) {
      return;
    }
    form.classList.add("js-regions");
    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        onChange(form, selects, index);
      });
    });
    form.addEventListener("submit", function () {
      keepDeepestChoice(selects);
    });
    window.addEventListener("pageshow", function () {
      restoreNames(selects);
    });
  }

  document.querySelectorAll("form[data-regions-url]").forEach(init);
})();
