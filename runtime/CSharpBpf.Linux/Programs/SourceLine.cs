namespace CSharpBpf.Linux.Programs;

/// <summary>A line_info record resolved to text: instruction index (in 8-byte slots) → file:line:column and the line's source text.</summary>
public sealed record SourceLine(int InstructionIndex, string File, int Line, int Column, string Text)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
