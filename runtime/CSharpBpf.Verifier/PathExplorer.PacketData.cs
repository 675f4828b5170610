using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

internal sealed partial class PathExplorer
{
    private readonly Dictionary<int, bool> _changesPacketData = new();

    /// <summary>
    /// Whether the subprogram starting at <paramref name="start"/> calls a helper that changes packet data, directly
    /// or through the subprograms it calls (the kernel's changes_pkt_data, merged from callees).
    /// </summary>
    private bool SubprogramChangesPacketData(int start) => ChangesPacketData(start, new HashSet<int>());

    private bool ChangesPacketData(int start, HashSet<int> visiting)
    {
        if (_changesPacketData.TryGetValue(start, out bool known)) return known;
        if (!visiting.Add(start)) return false; // recursion is refused elsewhere; do not loop here
        var program = _structure.Program;
        int end = _structure.SubprogramEnd(_structure.SubprogramOf(start));
        bool changes = false;
        for (int i = start; i < end && !changes; i++)
        {
            var insn = program[i];
            if (_structure.IsSecondSlot[i] || insn.Class != InstructionClass.Jmp || insn.JmpOp != JmpOp.Call) continue;
            if ((CallKind)insn.Src == CallKind.Helper)
                changes = HelperPrototypes.Find(insn.Imm) is { ChangesPacketData: true };
            else if ((CallKind)insn.Src == CallKind.Local)
            {
                int target = i + insn.Imm + 1;
                if (target >= 0 && target < program.Count) changes = ChangesPacketData(target, visiting);
            }
        }
        _changesPacketData[start] = changes;
        return changes;
    }
}
