using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

internal sealed partial class PathExplorer
{
    private int DoJump(Instruction insn, Checkpoint? checkpoint)
    {
        var op = insn.JmpOp;
        bool is64 = insn.Class == InstructionClass.Jmp;
        if (op == JmpOp.Call) return DoCall(insn);
        if (op == JmpOp.Exit) return DoExit();
        if (op == JmpOp.Ja) return _insn + 1 + (is64 ? insn.Offset : insn.Imm);
        int target = _insn + 1 + insn.Offset;
        if (op == JmpOp.Jcond)
        {
            // may_goto: either way is possible.
            Fork(_state.Clone(), target, checkpoint);
            return _insn + 1;
        }

        var a = ReadReg(insn.Dst);
        RegState b = insn.Source == SourceOperand.X
            ? ReadReg(insn.Src)
            : RegState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);

        int taken = -1;
        if (a.IsScalar && b.IsScalar) taken = BranchLogic.IsTaken(a, b, op, is64);
        else if (IsNullCompare(a, b, op)) taken = NullCompareOutcome(a, b, op);
        if (taken == 1) return target;
        if (taken == 0) return _insn + 1;

        var other = _state.Clone();
        bool takenFeasible = Learn(other, insn, op, true, is64);
        bool fallFeasible = Learn(_state, insn, op, false, is64);
        if (takenFeasible) Fork(other, target, checkpoint);
        if (!fallFeasible) return -1;
        return _insn + 1;
    }

    private static bool IsNullCompare(RegState a, RegState b, JmpOp op) =>
        (op == JmpOp.Jeq || op == JmpOp.Jne) &&
        (a.IsPointer && b.IsScalar && b.IsConst && b.ConstValue == 0 || b.IsPointer && a.IsScalar && a.IsConst && a.ConstValue == 0);

    /// <summary>A pointer known to be non-null is never equal to 0.</summary>
    private static int NullCompareOutcome(RegState a, RegState b, JmpOp op)
    {
        var p = a.IsPointer ? a : b;
        if (p.MaybeNull) return -1;
        return op == JmpOp.Jne ? 1 : 0;
    }

    /// <summary>Applies what "dst OP src" (or its negation) teaches to <paramref name="state"/>; false = impossible.</summary>
    private bool Learn(VerifierState state, Instruction insn, JmpOp op, bool holds, bool is64)
    {
        var frame = state.Current;
        var a = frame.Regs[insn.Dst];
        var b = insn.Source == SourceOperand.X ? frame.Regs[insn.Src] : RegState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
        var cond = holds ? op : (op == JmpOp.Jset ? BranchLogic.JmpNotSet : BranchLogic.Negate(op));

        if (a.IsScalar && b.IsScalar)
        {
            if (!BranchLogic.Refine(a, b, cond, is64)) return false;
            Propagate(state, a);
            if (insn.Source == SourceOperand.X) Propagate(state, b);
            return true;
        }
        if (IsNullCompare(a, b, op) && is64)
        {
            var p = a.IsPointer ? a : b;
            if (p.MaybeNull)
            {
                bool isNull = cond == JmpOp.Jeq;
                MarkNullness(state, p.Id, isNull);
            }
            return true;
        }
        // data against data_end, and data_meta against data, bound the packet (find_good_pkt_pointers).
        if (is64 && (a.Type == RegType.PtrToPacket && b.Type == RegType.PtrToPacketEnd || a.Type == RegType.PtrToPacketEnd && b.Type == RegType.PtrToPacket ||
                     a.Type == RegType.PtrToPacketMeta && b.Type == RegType.PtrToPacket || a.Type == RegType.PtrToPacket && b.Type == RegType.PtrToPacketMeta))
            LearnPacketRange(state, a, b, cond);
        return true;
    }

    /// <summary>Copies refined bounds to every register linked to <paramref name="reg"/> by id.</summary>
    private static void Propagate(VerifierState state, RegState reg)
    {
        if (reg.Id == 0) return;
        foreach (var r in state.AllRegisters())
            if (!ReferenceEquals(r, reg) && r.IsScalar && r.Id == reg.Id) r.CopyFrom(reg);
    }

    private static void MarkNullness(VerifierState state, int id, bool isNull)
    {
        if (id == 0) return;
        int refId = 0;
        foreach (var r in state.AllRegisters())
        {
            if (r.Id != id || !r.MaybeNull) continue;
            if (isNull)
            {
                refId = r.RefObjId != 0 ? r.RefObjId : refId;
                r.Reset(RegType.Scalar);
                r.SetConst(0);
            }
            else r.MaybeNull = false;
        }
        // A NULL reservation holds nothing to release.
        if (isNull && refId != 0) state.References.Remove(refId);
    }

    /// <summary>
    /// pkt + N against data_end: on the side where pkt + N &lt;= data_end, every packet pointer with the same
    /// variable part may access N bytes from its base (find_good_pkt_pointers).
    /// </summary>
    private static void LearnPacketRange(VerifierState state, RegState a, RegState b, JmpOp cond)
    {
        RegState pkt;
        bool pktAtMostEnd;
        if (a.IsPacketLike && !(a.Type == RegType.PtrToPacket && b.Type == RegType.PtrToPacketMeta))
        {
            pkt = a;
            pktAtMostEnd = cond is JmpOp.Jle or JmpOp.Jlt;
        }
        else
        {
            pkt = b;
            pktAtMostEnd = cond is JmpOp.Jge or JmpOp.Jgt;
        }
        if (!pktAtMostEnd || pkt.Off < 0) return;
        if (pkt.UMax > 0xffff) return;
        int newRange = pkt.Off;
        foreach (var f in state.Frames)
            foreach (var r in f.AllRegisters())
                if (r.Type == pkt.Type && r.Id == pkt.Id && r.Var.Equals(pkt.Var) && r.Range < newRange)
                    r.Range = newRange;
    }
}
