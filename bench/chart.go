package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// series is one line of a panel: a phase's wall times or its bound.
type series struct {
	label  string
	col    color.RGBA
	dashed bool
	pts    [][2]float64 // (N, seconds)
}

var (
	colApply   = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	colPlan    = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	colDestroy = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	colAxis    = color.RGBA{0x33, 0x33, 0x33, 0xff}
	colGrid    = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// panelSeries returns the lines of one k: apply, plan and destroy wall times, apply and
// destroy bounds, each over N.
func panelSeries(estates []EstateResult) []series {
	sort.Slice(estates, func(i, j int) bool { return estates[i].N < estates[j].N })
	s := []series{
		{label: "apply", col: colApply},
		{label: "apply bound", col: colApply, dashed: true},
		{label: "no-op plan", col: colPlan},
		{label: "destroy", col: colDestroy},
		{label: "destroy bound", col: colDestroy, dashed: true},
	}
	for _, er := range estates {
		n := float64(er.N)
		for _, p := range er.Phases {
			switch p.Phase {
			case PhaseApply:
				s[0].pts = append(s[0].pts, [2]float64{n, p.WallSeconds})
				s[1].pts = append(s[1].pts, [2]float64{n, p.BoundSeconds})
			case PhasePlan:
				s[2].pts = append(s[2].pts, [2]float64{n, p.WallSeconds})
			case PhaseDestroy:
				s[3].pts = append(s[3].pts, [2]float64{n, p.WallSeconds})
				s[4].pts = append(s[4].pts, [2]float64{n, p.BoundSeconds})
			}
		}
	}
	return s
}

// WriteChart draws time against N (log scale), one panel per k, with the bounds dashed.
func WriteChart(path string, r Report) error {
	byK := map[int][]EstateResult{}
	for _, er := range r.Estates {
		byK[er.K] = append(byK[er.K], er)
	}
	var ks []int
	for k := range byK {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	const panelW, panelH, top = 480, 420, 70
	w := max(1, len(ks)) * panelW
	img := image.NewRGBA(image.Rect(0, 0, w, top+panelH+10))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)

	title := fmt.Sprintf("azvmapps: wall time vs N (managed resources), -parallelism %d, emulator profile %s", r.Meta.Parallelism, r.Meta.Profile)
	if r.Meta.TimeScale > 0 {
		title += fmt.Sprintf(" x%g", r.Meta.TimeScale)
	}
	text(img, 12, 18, title+", commit "+r.Meta.Commit, colAxis)
	lx := 12
	for _, s := range panelSeries(nil) {
		line(img, float64(lx), 38, float64(lx+28), 38, s.col, s.dashed)
		if s.dashed {
			cross(img, float64(lx+14), 38, s.col)
		} else {
			dot(img, float64(lx+14), 38, s.col)
		}
		text(img, lx+34, 42, s.label, colAxis)
		lx += 34 + 7*len(s.label) + 22
	}

	// One y scale for every panel, so that the k's compare at a glance.
	var all [][]series
	ymax, nmin, nmax := 1.0, math.Inf(1), math.Inf(-1)
	for _, k := range ks {
		ss := panelSeries(byK[k])
		all = append(all, ss)
		for _, s := range ss {
			for _, p := range s.pts {
				ymax = math.Max(ymax, p[1])
				nmin, nmax = math.Min(nmin, p[0]), math.Max(nmax, p[0])
			}
		}
	}
	if len(ks) == 0 {
		nmin, nmax = 1, 10
	}
	step := niceStep(ymax / 5)
	ymax = math.Ceil(ymax/step) * step
	lo, hi := math.Log10(nmin)-0.15, math.Log10(nmax)+0.15
	for i, k := range ks {
		x0, y0 := float64(i*panelW+60), float64(top+panelH-40) // plot origin (bottom left)
		pw, ph := float64(panelW-80), float64(panelH-70)
		px := func(n float64) float64 { return x0 + (math.Log10(n)-lo)/(hi-lo)*pw }
		py := func(s float64) float64 { return y0 - s/ymax*ph }
		text(img, int(x0), int(y0-ph)-8, fmt.Sprintf("k = %d application(s) per VM", k), colAxis)
		for v := 0.0; v <= ymax+step/2; v += step {
			line(img, x0, py(v), x0+pw, py(v), colGrid, false)
			lbl := fmt.Sprintf("%g", v)
			text(img, int(x0)-8-7*len(lbl), int(py(v))+4, lbl, colAxis)
		}
		ns := map[float64]bool{}
		for _, s := range all[i] {
			for _, p := range s.pts {
				ns[p[0]] = true
			}
		}
		for n := range ns {
			line(img, px(n), y0, px(n), y0+4, colAxis, false)
			lbl := fmt.Sprintf("%g", n)
			text(img, int(px(n))-7*len(lbl)/2, int(y0)+17, lbl, colAxis)
		}
		line(img, x0, y0, x0+pw, y0, colAxis, false)
		line(img, x0, y0, x0, y0-ph, colAxis, false)
		text(img, int(x0+pw/2)-60, int(y0)+33, "N (log scale)", colAxis)
		text(img, int(x0)-52, int(y0-ph)-8, "s", colAxis)
		for _, s := range all[i] {
			for j, p := range s.pts {
				if j > 0 {
					q := s.pts[j-1]
					line(img, px(q[0]), py(q[1]), px(p[0]), py(p[1]), s.col, s.dashed)
				}
				if s.dashed {
					cross(img, px(p[0]), py(p[1]), s.col)
				} else {
					dot(img, px(p[0]), py(p[1]), s.col)
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// line draws a two-pixel line, dashed (7 on, 5 off) when asked.
func line(img *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA, dashed bool) {
	n := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	for i := 0; i <= n; i++ {
		if dashed && i%12 >= 7 {
			continue
		}
		t := float64(i) / float64(n)
		x, y := int(math.Round(x0+(x1-x0)*t)), int(math.Round(y0+(y1-y0)*t))
		img.SetRGBA(x, y, c)
		img.SetRGBA(x+1, y, c)
		img.SetRGBA(x, y+1, c)
		img.SetRGBA(x+1, y+1, c)
	}
}

func dot(img *image.RGBA, x, y float64, c color.RGBA) {
	for dx := -3; dx <= 3; dx++ {
		for dy := -3; dy <= 3; dy++ {
			if dx*dx+dy*dy <= 10 {
				img.SetRGBA(int(x)+dx, int(y)+dy, c)
			}
		}
	}
}

// cross marks a bound's point.
func cross(img *image.RGBA, x, y float64, c color.RGBA) {
	line(img, x-4, y-4, x+4, y+4, c, false)
	line(img, x-4, y+4, x+4, y-4, c, false)
}
