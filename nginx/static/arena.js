/* arena.js -- enhancements only: every page works without it.
 * Shows times in the reader's own time zone as a tooltip. */
(function () {
	"use strict";
	var times = document.querySelectorAll("time[datetime]");
	for (var i = 0; i < times.length; i++) {
		var t = times[i], d = new Date(t.getAttribute("datetime"));
		if (!isNaN(d.getTime()) && !t.title)
			t.title = d.toLocaleString(document.documentElement.lang || undefined);
	}
})();
