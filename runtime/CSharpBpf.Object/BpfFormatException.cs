using System;

namespace CSharpBpf.Object;

/// <summary>
/// The one exception every reader in this assembly throws for malformed input (ELF, BTF, BTF.ext,
/// instruction streams): it names what was being read, the byte offset, and what was expected,
/// so a truncated or corrupted file never surfaces as IndexOutOfRange or a hang.
/// </summary>
public sealed class BpfFormatException : Exception
{
    public BpfFormatException(string format, long offset, string expected)
        : base($"{format}: at byte offset {offset} (0x{offset:x}): expected {expected}")
    {
        Format = format;
        Offset = offset;
        Expected = expected;
    }

    /// <summary>What was being read, e.g. "ELF", "BTF", "BTF.ext", "instructions".</summary>
    public string Format { get; }

    /// <summary>Byte offset within the input where reading failed.</summary>
    public long Offset { get; }

    /// <summary>What the reader expected to find there.</summary>
    public string Expected { get; }
}
