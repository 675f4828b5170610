using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Verifier;

/// <summary>
/// The managed verifier: the structural checks of the kernel's check_cfg, then abstract interpretation
/// of every path (do_check) with state pruning. Answers accept or reject with kernel-like, actionable errors.
/// </summary>
public static class BpfVerifier
{
    public static VerificationResult Verify(IReadOnlyList<Instruction> program, VerifierProgramSpec spec)
    {
        if (program is null) throw new ArgumentNullException(nameof(program));
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        var errors = new List<VerifierError>();
        var structure = ProgramStructure.Check(program, spec.FunctionStarts, errors);
        if (errors.Count > 0)
            return new VerificationResult(spec.Name, Locate(errors, spec), new VerifierStatistics(0, 0, 0, 0));

        var explorer = new PathExplorer(program, spec, structure);
        try
        {
            explorer.Run();
        }
        catch (VerificationFailure f)
        {
            errors.Add(f.Error);
        }
        int stack = explorer.MaxCombinedStack;
        foreach (var d in explorer.StackDepth) stack = Math.Max(stack, d);
        return new VerificationResult(spec.Name, Locate(errors, spec),
            new VerifierStatistics(explorer.Processed, explorer.PeakStatesPerInsn, explorer.TotalStates, stack));
    }

    /// <summary>Verifies every program of an object (maps, global data and .text subprograms resolved as libbpf links them).</summary>
    public static IReadOnlyList<VerificationResult> VerifyObject(BpfObjectFile obj) => ObjectVerifier.VerifyAll(obj);

    /// <summary>
    /// The program <see cref="VerifyObject"/> verifies for one entry function: linked instructions (ld_imm64 map
    /// references carry the keys of <see cref="VerifierProgramSpec.Maps"/>) and the spec; null when the section's
    /// program type is not modelled. Lets tools run the same program elsewhere (e.g. the kernel) to compare.
    /// </summary>
    public static LinkedProgram? Link(BpfObjectFile obj, BpfFunction entry)
    {
        var linked = ObjectVerifier.Link(obj, entry);
        return linked == null ? null : new LinkedProgram(linked.Value.Program, linked.Value.Spec);
    }

    private static IReadOnlyList<VerifierError> Locate(List<VerifierError> errors, VerifierProgramSpec spec)
    {
        if (spec.SourceLines == null) return errors;
        var located = new List<VerifierError>(errors.Count);
        foreach (var e in errors) located.Add(e with { Source = spec.SourceLines(e.InstructionIndex) });
        return located;
    }
}
