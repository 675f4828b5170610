using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Puts a spilled virtual register in its stack slot: each run of consecutive instructions that
/// touch it shares one temporary, loaded before the run when the run reads the old value and
/// stored after the run's last write. (Runs keep "mov t, a; add t, b" to one load and one store.)
/// </summary>
internal static class SpillRewriter
{
    public static void Spill(MFunction mf, int v, short offset, HashSet<int> temps)
    {
        foreach (var b in mf.Layout)
        {
            var code = mf.Code[b];
            var result = new List<MInst>(code.Count + 4);
            int i = 0;
            while (i < code.Count)
            {
                if (!Touches(code[i], v)) { result.Add(code[i++]); continue; }
                int runEnd = i;
                while (runEnd + 1 < code.Count && Touches(code[runEnd + 1], v) && !code[runEnd].IsCall) runEnd++;
                int t = mf.NewVirtual();
                temps.Add(t);
                var first = code[i];
                bool readsFirst = first.Uses().Contains(v);
                if (readsFirst) result.Add(Load(t, offset, first));
                int lastDef = -1;
                for (int k = i; k <= runEnd; k++) if (code[k].Defs().Contains(v)) lastDef = k;
                for (int k = i; k <= runEnd; k++)
                {
                    var m = code[k];
                    if (m.Dst == v) m.Dst = t;
                    if (m.Src == v && m.UsesRegisterSrc()) m.Src = t;
                    result.Add(m);
                    if (k == lastDef) result.Add(Store(t, offset, m));
                }
                i = runEnd + 1;
            }
            code.Clear();
            code.AddRange(result);
        }
    }

    private static bool Touches(MInst m, int v) => m.Uses().Contains(v) || m.Defs().Contains(v);

    private static MInst Load(int t, short offset, MInst at) => new()
    {
        Opcode = (byte)((byte)InstructionClass.Ldx | (byte)MemSize.DW | (byte)MemMode.Mem), Dst = t, Src = MReg.FP, Off = offset, Location = at.Location,
    };

    private static MInst Store(int t, short offset, MInst at) => new()
    {
        Opcode = (byte)((byte)InstructionClass.Stx | (byte)MemSize.DW | (byte)MemMode.Mem), Dst = MReg.FP, Src = t, Off = offset, Location = at.Location,
    };
}
