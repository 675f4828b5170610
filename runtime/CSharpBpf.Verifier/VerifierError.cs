namespace CSharpBpf.Verifier;

/// <summary>Where an instruction came from, from the object's BTF.ext line_info.</summary>
public sealed record SourceLocation(string FileName, int Line, int Column, string LineText)
{
    public override string ToString() => $"{FileName}:{Line}:{Column}";
}

/// <summary>
/// One refusal: the instruction (slot index in the verified program), a stable <see cref="Code"/>
/// (see <see cref="VerifierErrorCodes"/>), a kernel-like message that says what to do, and the source
/// location when the object has line_info.
/// </summary>
public sealed record VerifierError(int InstructionIndex, string Code, string Message)
{
    public SourceLocation? Source { get; init; }

    public override string ToString() =>
        $"insn {InstructionIndex}: [{Code}] {Message}" + (Source is null ? "" : $" ({Source}: {Source.LineText.Trim()})");
}
