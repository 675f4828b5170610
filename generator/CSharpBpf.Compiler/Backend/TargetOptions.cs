namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Code generation choices. The default is -mcpu=v3 (what the clang twins use): 32-bit ALU and
/// jmp32, atomics, no v4 instructions, so the objects load on kernels before 6.6. With
/// <see cref="UseV4"/>, signed division/remainder use sdiv/smod, sign extension movsx and
/// sign-extending loads ldsx (kernel 6.6+).
/// </summary>
public sealed class TargetOptions
{
    public static TargetOptions Default { get; } = new();
    public bool UseV4 { get; init; }
    /// <summary>Run the IR optimization passes (off only for tests of the unoptimized path).</summary>
    public bool Optimize { get; init; } = true;
    /// <summary>Callees with at most this many IR instructions are inlined (unless marked Never).</summary>
    public int InlineThreshold { get; init; } = 24;
    /// <summary>Straight-line loops with a constant trip count are fully unrolled when trips × body IR instructions
    /// is at most this (clang -O2 unrolls such loops too; the verifier then walks no back edge). 0 disables it.</summary>
    public int UnrollBudget { get; init; } = 96;
    public const int MaxStack = 512;
}
