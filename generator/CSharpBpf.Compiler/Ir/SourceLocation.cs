namespace CSharpBpf.Compiler.Ir;

/// <summary>
/// Where an IR instruction came from in the C# source (1-based line and column). Carried by
/// every instruction so a verifier complaint (via BTF.ext line_info) or a backend error (stack
/// too big) maps back to the user's span.
/// </summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None => new("", 0, 0);
    public bool IsNone => Line == 0 && string.IsNullOrEmpty(File);
    public override string ToString() => IsNone ? "?" : $"{System.IO.Path.GetFileName(File)}:{Line}:{Column}";
}
