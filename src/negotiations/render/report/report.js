"use strict";
// The timeline of a report: its rows are JSON in #timeline-data, drawn a page at a time so that a
// long log stays quick to open, and filtered by party and by kind. Every text is set with
// textContent, never parsed as HTML.
(function () {
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const list = document.getElementById("timeline-list");
  const party = document.getElementById("filter-party");
  const kind = document.getElementById("filter-kind");
  const count = document.getElementById("timeline-count");
  const prev = document.getElementById("page-prev");
  const next = document.getElementById("page-next");
  const size = data.page;
  let page = 0;
  let rows = data.rows;

  for (const [select, names] of [[party, data.parties], [kind, data.kinds]]) {
    names.forEach(function (name, index) {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = name;
      select.appendChild(option);
    });
  }

  function chosen() {
    const p = party.value === "" ? null : Number(party.value);
    const k = kind.value === "" ? null : Number(kind.value);
    return data.rows.filter(function (row) {
      return (k === null || row[1] === k) && (p === null || row[2].indexOf(p) >= 0);
    });
  }

  function draw() {
    const start = page * size;
    const shown = rows.slice(start, start + size);
    list.replaceChildren();
    for (const row of shown) {
      const item = document.createElement("li");
      item.dataset.eventId = row[4];
      item.dataset.kind = data.kinds[row[1]];
      item.dataset.parties = row[2].map(function (i) { return data.parties[i]; }).join(" ");
      if (row[5]) {
        item.dataset.change = row[5][0];
        item.dataset.changeId = row[5][1];
        item.className = "change-" + row[5][0];
      }
      for (const [name, text] of [["day", row[0]], ["kind", data.kinds[row[1]]], ["what", row[3]]]) {
        const cell = document.createElement("span");
        cell.className = name;
        cell.textContent = text;
        item.appendChild(cell);
      }
      list.appendChild(item);
    }
    const last = Math.min(start + size, rows.length);
    count.textContent = rows.length === 0 ? "no events match"
      : (start + 1) + "–" + last + " of " + rows.length + " events" +
        (rows.length === data.rows.length ? "" : " (of " + data.rows.length + ")");
    prev.disabled = page === 0;
    next.disabled = last >= rows.length;
  }

  function refilter() { rows = chosen(); page = 0; draw(); }
  party.addEventListener("change", refilter);
  kind.addEventListener("change", refilter);
  prev.addEventListener("click", function () { if (page > 0) { page -= 1; draw(); } });
  next.addEventListener("click", function () { if ((page + 1) * size < rows.length) { page += 1; draw(); } });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  draw();
})();
