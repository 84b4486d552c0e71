/* The roadmap's Gantt chart (core/documents/gantt.py) opens scrolled to where the reader should look: the today line
   in view, with the earliest overdue item's end beside it when both fit, instead of the roadmap's first month. While
   the chart scrolls sideways, the column of titles and the legend (class zk-gantt-pinned) stay at the left edge
   where the frame is wide enough to leave room for the bars.
   Without this script the chart reads the same from its first month. */
'use strict';
{
    const MARGIN = 40;

    function openAtToday(frame, chart, label) {
        const today = Number(chart.dataset.todayX);
        const focus = Number(chart.dataset.focusX);
        const visible = frame.clientWidth - label;  // the part of the frame the pinned titles leave to the bars
        // the earliest overdue end at the left edge of the bars, or today a third of the way in; never so far
        // left that today falls out of view
        const wanted = Math.min(focus - label - MARGIN, today - label - visible / 3);
        const left = Math.max(wanted, today - label - visible + MARGIN);
        frame.scrollLeft = Math.max(0, Math.min(left, frame.scrollWidth - frame.clientWidth));
    }

    function pin(frame, chart) {
        const pinned = chart.querySelectorAll('.zk-gantt-pinned');
        const follow = () => pinned.forEach((group) => group.setAttribute('transform', `translate(${frame.scrollLeft} 0)`));
        frame.addEventListener('scroll', follow, {passive: true});
        follow();
    }

    document.querySelectorAll('svg.zk-gantt[data-today-x]').forEach((chart) => {
        const frame = chart.parentElement;
        // on a phone the titles would cover the frame: they scroll away with the bars (the table names each item)
        const label = frame.clientWidth >= 2 * Number(chart.dataset.labelWidth) ? Number(chart.dataset.labelWidth) : 0;
        if (label) {
            pin(frame, chart);
        }
        openAtToday(frame, chart, label);
    });
}
