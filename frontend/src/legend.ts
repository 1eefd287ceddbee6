// Legends of atlas maps: classes (colour + label) and continuous ramps (gradient with the end values).
import { formatNumber } from "./i18n";
import { h } from "./dom";
import type { AtlasMap } from "./types";

export function legendOf(map: AtlasMap): HTMLElement {
  const box = h("div", { class: "legend" });
  for (const layer of map.layers) {
    if (layer.ramp && layer.ramp.colors.length > 0) {
      const ramp = layer.ramp;
      const gradient = `linear-gradient(to right, ${ramp.colors.join(", ")})`;
      const bar = h("div", { class: "ramp-bar", role: "img",
        "aria-label": `${ramp.label ?? ""} ${formatNumber(ramp.vmin, 1)} – ${formatNumber(ramp.vmax, 1)} ${ramp.unit ?? ""}` });
      bar.style.background = gradient;
      box.appendChild(h("div", { class: "ramp" },
        ramp.label ? h("p", { class: "legend-title" }, ramp.label + (ramp.unit ? ` (${ramp.unit})` : "")) : null,
        bar,
        h("div", { class: "ramp-ends", "aria-hidden": "true" },
          h("span", {}, formatNumber(ramp.vmin, 1)), h("span", {}, formatNumber(ramp.vmax, 1)))));
    }
    if (layer.legend && layer.legend.length > 0) {
      const list = h("ul", { class: "classes" });
      for (const item of layer.legend) {
        const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.background = item.color;
        list.appendChild(h("li", {}, swatch, h("span", {}, item.label)));
      }
      box.appendChild(list);
    }
  }
  return box;
}
