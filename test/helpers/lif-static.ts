// The LIF neuron and static synapse that several wasm tests build their networks from (ge and gi as voltages, exact
// method, 5 ms refractory clamp). In: nothing; out: the glia text of the two models, to prepend to a network.
export const LIF_STATIC = `
neuron Lif {
  parameters { taum: ms = 20 ms; taue: ms = 5 ms; Vt: mV = -50 mV; Vr: mV = -60 mV; El: mV = -49 mV }
  state { v: mV = uniform(Vr, Vt); ge: mV = 0 mV; gi: mV = 0 mV }
  equations { v' = (ge + gi - (v - El)) / taum; ge' = -ge / taue; gi' = -gi / taue }
  method exact
  spike when v > Vt { v = Vr }
  refractory 5 ms clamp v
}
synapse Static {
  parameters { w: mV = 0 mV }
  on pre { post.target += w }
}
`;
