using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>What a stack byte holds (the kernel's STACK_INVALID/MISC/ZERO/SPILL).</summary>
public enum StackSlotKind : byte
{
    Invalid = 0,
    Misc = 1,
    Zero = 2,
    Spill = 3,
}

/// <summary>One call frame: r0-r10 and the 512-byte stack, byte by byte, with spilled registers per 8-byte slot.</summary>
public sealed class FrameState
{
    public const int StackSize = 512;
    public const int SlotCount = StackSize / 8;

    public FrameState(int frameNo, int callSite, int subprogStart, bool isCallback = false)
    {
        IsCallback = isCallback;
        FrameNo = frameNo;
        CallSite = callSite;
        SubprogStart = subprogStart;
        for (int i = 0; i < Regs.Length; i++) Regs[i] = RegState.NotInit();
    }

    public int FrameNo { get; }
    /// <summary>A helper's callback (bpf_loop): its exit ends the path instead of returning.</summary>
    public bool IsCallback { get; }
    /// <summary>Index of the call instruction that created this frame (-1 for the main program).</summary>
    public int CallSite { get; }
    public int SubprogStart { get; }
    public RegState[] Regs { get; } = new RegState[11];
    /// <summary>Byte kinds, index 0 = fp-512 ... index 511 = fp-1.</summary>
    public byte[] Bytes { get; private set; } = new byte[StackSize];
    /// <summary>Spilled registers by slot (slot 0 = fp-512 .. fp-505).</summary>
    public RegState?[] Spills { get; private set; } = new RegState?[SlotCount];
    /// <summary>Bytes the spill of each slot covers (8, or 1/2/4 for narrow scalar spills at the slot's start).</summary>
    public byte[] SpillSizes { get; private set; } = new byte[SlotCount];

    public FrameState Clone()
    {
        var f = new FrameState(FrameNo, CallSite, SubprogStart, IsCallback);
        for (int i = 0; i < Regs.Length; i++) f.Regs[i] = Regs[i].Clone();
        f.Bytes = (byte[])Bytes.Clone();
        f.SpillSizes = (byte[])SpillSizes.Clone();
        f.Spills = new RegState?[SlotCount];
        for (int i = 0; i < SlotCount; i++) f.Spills[i] = Spills[i]?.Clone();
        return f;
    }

    /// <summary>Every register and spilled register of this frame (for id-based propagation).</summary>
    public IEnumerable<RegState> AllRegisters()
    {
        foreach (var r in Regs) yield return r;
        foreach (var s in Spills) if (s != null) yield return s;
    }
}

/// <summary>The verifier's state on one path: the call stack of frames and the acquired references.</summary>
public sealed class VerifierState
{
    public List<FrameState> Frames { get; } = new();
    /// <summary>Reference ids acquired (bpf_ringbuf_reserve) and not yet released, with the acquiring instruction.</summary>
    public Dictionary<int, int> References { get; private set; } = new();

    /// <summary>Inside a bpf_rcu_read_lock()ed region (the kernel refuses nesting, so a flag is enough).</summary>
    public bool RcuLocked { get; set; }

    public FrameState Current => Frames[Frames.Count - 1];

    public VerifierState Clone()
    {
        var s = new VerifierState();
        foreach (var f in Frames) s.Frames.Add(f.Clone());
        s.References = new Dictionary<int, int>(References);
        s.RcuLocked = RcuLocked;
        return s;
    }

    public IEnumerable<RegState> AllRegisters()
    {
        foreach (var f in Frames)
            foreach (var r in f.AllRegisters()) yield return r;
    }
}
