// Source fixtures shared by the syntax tests. In: nothing; out: glia source strings.

/** The language sketch the grammar was designed from (LIF, STDP, an astrocyte, CUBA), in our grammar. */
export const DSL_SKETCH = `neuron LIF {
  parameters {
    tau_m: ms = 20 ms
    E_L: mV = -49 mV
    V_th: mV = -50 mV
    V_reset: mV = -60 mV
    t_ref: ms = 5 ms
    tau_e: ms = 5 ms
    tau_i: ms = 10 ms
  }
  state {
    v: mV = uniform(V_reset, V_th)     # per-neuron initial value from the seeded generator
    ge: mV = 0 mV
    gi: mV = 0 mV
  }
  equations {
    v'  = (ge + gi - (v - E_L)) / tau_m
    ge' = -ge / tau_e
    gi' = -gi / tau_i
  }
  spike when v > V_th { v = V_reset }
  refractory t_ref clamp v
}

synapse STDP {
  parameters { w_max = 1; A_pre = 0.01; A_post = -0.0105; tau_pre: ms = 20 ms; tau_post: ms = 20 ms }
  state { w = 0.5; apre = 0; apost = 0 }
  equations { apre' = -apre / tau_pre; apost' = -apost / tau_post }   # event-driven: advanced lazily
  on pre  { post.ge += w * 1 mV; apre += A_pre; w = clip(w + apost, 0, w_max) }
  on post { apost += A_post; w = clip(w + apre, 0, w_max) }
}

astrocyte Calcium {
  parameters { tau_ca: ms = 500 ms; gain = 0.05; target = 1 }
  state { ca = 0 }
  equations { ca' = -ca / tau_ca }
  on synapse_pre { ca += gain }                    # every ensheathed synapse's presynaptic spike
  expose modulation = tanh(ca - target)            # read by ensheathed synapses as astro.modulation
}

network CUBA {
  dt = 0.1 ms
  seed = 1
  population exc = LIF[3200]
  population inh = LIF[800]
  connect exc -> exc, inh with Static(w = 1.62 mV) onto ge fixed_probability(0.02)
  connect inh -> exc, inh with Static(w = -9 mV)  onto gi fixed_probability(0.02)
  record spikes of exc, inh
  record v of exc[0:10]
  run 1 s
}
`;

/** Every construct of the grammar at least once. */
export const ALL_CONSTRUCTS = `import "lib/models.glia"
import "std/static.glia";

neuron Izh {
  parameters { a = 0.02; b = 0.2; c: mV = -65 mV; d: mV/ms = 8 mV/ms; k: 1/(uM*ms) = 2e-4 /(uM*ms) }
  state { v: mV = -65 mV; u: mV/ms = 0 mV/ms; h = 0 }
  inputs { I: mV/ms }
  equations {
    drive: mV/ms = 0.04 /mV/ms * v^2 + 5 /ms * v + 140 mV/ms
    v' = drive - u + I
    u' = a * (b * v / 1 ms - u) / 1 ms
  }
  spike when v >= 30 mV and not (h > 1) or false {
    v = c
    u += d
    let z = v > 0 mV ? 1 : 0
    if z == 1 { h = 0 } else if z != 0 { h *= 2 } else { h /= 2; h -= 1 }
  }
  refractory 2 ms clamp v, u
  method rk4
}

astrocyte Slow {
  parameters { tau: ms = 1 s }
  state { ca = 0 }
  equations { ca' = -ca / tau }
  dt = 10 ms
  on synapse_pre { ca += 0.1 }
  on synapse_post { ca += 0.05 }
  expose level: 1 = ca
}

synapse Gap {
  parameters { g: 1/ms = 0.1 /ms }
  continuous { post.I += g * (pre.v - post.v) * astro.level * mod.reward }
  on pre { post.I += 1 mV/ms }
}

network Net {
  dt = 0.1 ms; seed = 42
  population exc = Izh(a = normal(0.02, 0.001))[100]
  input noise = poisson(rate = 5 Hz)[50]
  input replay = csv_spikes("spikes.csv")[10]
  current I of exc[0:10] = steps(times = [0 ms, 100 ms], values = [0 mV/ms, 1 mV/ms])
  connect gj: exc -> exc with Gap(g = uniform(0.05, 0.15) / 1 ms) onto I all_to_all allow_self delay = 1 ms
  connect noise -> exc with Static(w = 0.5 mV/ms) onto I one_to_one
  population glia = Slow[10]
  ensheath gj with glia random(pool = 2)
  modulator reward: 1 = mean(exc.v) / 1 mV + rate(exc) * 1 s
  record spikes of exc, noise
  record v of exc[0:10] every 1 ms
  run 500 ms
}
`;
