using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>An object's entry program linked for verification, with the spec the verifier uses for it.</summary>
public sealed record LinkedProgram(IReadOnlyList<Instruction> Instructions, VerifierProgramSpec Spec);
