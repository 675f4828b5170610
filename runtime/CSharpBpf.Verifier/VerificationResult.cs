using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>The verdict on one program, with the errors (the kernel stops at the first) and the analysis statistics.</summary>
public sealed class VerificationResult
{
    public VerificationResult(string programName, IReadOnlyList<VerifierError> errors, VerifierStatistics statistics)
    {
        ProgramName = programName;
        Errors = errors;
        Statistics = statistics;
    }

    public string ProgramName { get; }
    public bool IsAccepted => Errors.Count == 0;
    public IReadOnlyList<VerifierError> Errors { get; }
    public VerifierStatistics Statistics { get; }

    public override string ToString() =>
        IsAccepted ? $"{ProgramName}: accepted ({Statistics})" : $"{ProgramName}: rejected: {Errors[0]}";
}

/// <summary>
/// ProcessedInstructions = instructions interpreted over all paths (the kernel's "processed N insns");
/// MaxStatesPerInstruction = the most states stored at one instruction; TotalStates = states stored;
/// StackDepth = the deepest combined stack seen on a call chain.
/// </summary>
public sealed record VerifierStatistics(int ProcessedInstructions, int MaxStatesPerInstruction, int TotalStates, int StackDepth)
{
    public override string ToString() =>
        $"processed {ProcessedInstructions} insns, max_states_per_insn {MaxStatesPerInstruction}, total_states {TotalStates}, stack {StackDepth}";
}
