using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Places stack objects below r10. Every slot starts 8-byte aligned (the verifier tracks spills
/// per 8-byte stack slot, and aligned slots keep every access legal). The 512-byte limit is
/// checked after spill slots are added.
/// </summary>
public static class FrameLayout
{
    public static void PlaceUserSlots(MFunction mf)
    {
        int used = 0;
        foreach (var slot in mf.Source.FrameSlots)
        {
            used = AlignUp(used + slot.Size, 8);
            mf.SlotOffsets[slot] = (short)-System.Math.Min(used, 32760);
        }
        mf.FrameSize = used;
    }

    /// <summary>Adds an 8-byte spill slot and returns its r10 offset.</summary>
    public static short AddSpillSlot(MFunction mf)
    {
        mf.FrameSize += 8;
        return (short)-System.Math.Min(mf.FrameSize, 32760);
    }

    public static void CheckLimit(MFunction mf)
    {
        if (mf.FrameSize > TargetOptions.MaxStack)
            throw new BackendException(
                $"uses {mf.FrameSize} bytes of stack (locals and spilled values); eBPF allows {TargetOptions.MaxStack}. Move large locals into a per-CPU array map or reduce live values",
                mf.Source.Location, mf.Source.Name);
    }

    private static int AlignUp(int v, int a) => (v + a - 1) / a * a;
}
