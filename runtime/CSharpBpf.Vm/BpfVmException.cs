using System;

namespace CSharpBpf.Vm;

/// <summary>What stopped a program (or its loading).</summary>
public enum VmErrorKind
{
    /// <summary>A load or store outside every region, past a region's end, or into a read-only region.</summary>
    MemoryViolation,
    /// <summary>The instruction budget ran out: a runaway loop, stopped instead of hanging.</summary>
    BudgetExhausted,
    /// <summary>An opcode, register or field combination RFC 9669 does not define.</summary>
    InvalidInstruction,
    /// <summary>More than 8 nested bpf-to-bpf frames (the kernel's MAX_CALL_FRAMES).</summary>
    CallDepthExceeded,
    /// <summary>A helper id or kfunc the VM does not provide.</summary>
    UnknownHelper,
    /// <summary>A helper was given arguments it cannot work with (e.g. r1 is not a map).</summary>
    BadHelperArgument,
    /// <summary>A 64-bit immediate load names a map, function or kernel symbol the load did not supply.</summary>
    UnresolvedReference,
}

/// <summary>
/// The one exception the VM throws when a program cannot go on. It names the instruction index
/// (slot index, as the kernel counts), and for memory faults the address and the region involved,
/// so a failing test says exactly where the program went wrong.
/// </summary>
public sealed class BpfVmException : Exception
{
    public BpfVmException(VmErrorKind kind, int instructionIndex, string message, ulong? address = null, string? region = null)
        : base($"{message} (instruction {instructionIndex})")
    {
        Kind = kind;
        InstructionIndex = instructionIndex;
        Address = address;
        Region = region;
    }

    public VmErrorKind Kind { get; }

    /// <summary>Slot index of the instruction that failed, in the program that was running.</summary>
    public int InstructionIndex { get; }

    /// <summary>The faulting address, for memory violations.</summary>
    public ulong? Address { get; }

    /// <summary>The region the address fell in (or nearest to), for memory violations.</summary>
    public string? Region { get; }
}
