using System;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Verifier;

internal sealed partial class PathExplorer
{
    private enum Access { Read, Write }

    private static int SizeOf(MemSize s) => s switch { MemSize.B => 1, MemSize.H => 2, MemSize.W => 4, _ => 8 };

    private void DoLoad(Instruction insn)
    {
        int size = SizeOf(insn.Size);
        var baseReg = ReadReg(insn.Src);
        var loaded = CheckAccess(insn.Src, baseReg, insn.Offset, size, Access.Read, null);
        var dst = WriteReg(insn.Dst);
        dst.CopyFrom(loaded);
        if (insn.Mode == MemMode.MemSx && dst.IsScalar) ScalarAlu.SignExtend(dst, size * 8, true);
    }

    private void DoStore(Instruction insn)
    {
        int size = SizeOf(insn.Size);
        var baseReg = ReadReg(insn.Dst);
        RegState value;
        if (insn.Class == InstructionClass.Stx) value = ReadReg(insn.Src);
        else value = RegState.ConstScalar((ulong)(long)insn.Imm); // Linux 6.18 accepts BPF_ST into ctx (tested against the kernel)
        CheckAccess(insn.Dst, baseReg, insn.Offset, size, Access.Write, value);
    }

    private void DoAtomic(Instruction insn)
    {
        int size = SizeOf(insn.Size);
        var op = (AtomicOp)insn.Imm;
        var baseReg = ReadReg(insn.Dst);
        if (op == AtomicOp.LoadAcquire)
        {
            var loaded = CheckAccess(insn.Src, ReadReg(insn.Src), insn.Offset, size, Access.Read, null);
            WriteReg(insn.Dst).CopyFrom(loaded);
            return;
        }
        if (op == AtomicOp.StoreRelease)
        {
            CheckAccess(insn.Dst, baseReg, insn.Offset, size, Access.Write, ReadReg(insn.Src));
            return;
        }
        var src = ReadReg(insn.Src);
        if (op == AtomicOp.CmpXchg) ReadReg(0);
        if (src.IsPointer)
            Fail(VerifierErrorCodes.InvalidMemAccess, $"R{insn.Src} leaks addr into mem: atomic operations take scalars");
        if (baseReg.Type is RegType.PtrToCtx or RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToBtfId or RegType.PtrToSocket or RegType.PtrToSockCommon)
            Fail(VerifierErrorCodes.InvalidMemAccess, $"BPF_ATOMIC stores into R{insn.Dst} {baseReg.TypeName} is not allowed: atomics apply to stack and map values");
        // Reads then writes the location.
        CheckAccess(insn.Dst, baseReg, insn.Offset, size, Access.Read, null);
        CheckAccess(insn.Dst, baseReg, insn.Offset, size, Access.Write, RegState.UnknownScalar());
        bool fetch = (insn.Imm & 0x01) != 0;
        if (op == AtomicOp.CmpXchg) Regs[0].SetZeroExtended(size * 8);
        else if (fetch) WriteReg(insn.Src).SetZeroExtended(size * 8);
    }

    private void DoLegacyPacketLoad(Instruction insn)
    {
        if (_spec.ProgramType is not (VerifierProgramType.SocketFilter or VerifierProgramType.SchedCls or VerifierProgramType.SchedAct or VerifierProgramType.CgroupSkb))
            Fail(VerifierErrorCodes.InvalidInstruction, "BPF_LD_[ABS|IND] instructions not allowed for this program type: read the packet through ctx->data");
        var r6 = ReadReg(6);
        if (r6.Type != RegType.PtrToCtx)
            Fail(VerifierErrorCodes.InvalidInstruction, "at the time of BPF_LD_ABS|IND R6 != pointing to skb: keep the context in r6");
        if (insn.Mode == MemMode.Ind) ReadReg(insn.Src);
        for (int r = 1; r <= 5; r++) Regs[r].Reset(RegType.NotInit);
        Regs[0].SetZeroExtended(SizeOf(insn.Size) * 8);
    }

    private void DoLoadImm64(Instruction insn, int imm2)
    {
        var dst = WriteReg(insn.Dst);
        var src = (PseudoSource)insn.Src;
        switch (src)
        {
            case PseudoSource.Imm64:
                dst.Reset(RegType.Scalar);
                dst.SetConst((uint)insn.Imm | ((ulong)(uint)imm2 << 32));
                return;
            case PseudoSource.MapFd:
            case PseudoSource.MapIndex:
            case PseudoSource.MapValue:
            case PseudoSource.MapIndexValue:
            {
                if (!_spec.Maps.TryGetValue(insn.Imm, out var map))
                    Fail(VerifierErrorCodes.InvalidInstruction, $"fd {insn.Imm} is not pointing to valid bpf_map: the ld_imm64 names no known map");
                bool value = src is PseudoSource.MapValue or PseudoSource.MapIndexValue;
                if (value)
                {
                    if (imm2 < 0 || (uint)imm2 >= Math.Max(1u, map!.ValueSize))
                        Fail(VerifierErrorCodes.MapValueOutOfRange, $"invalid access to map value pointer, value_size={map!.ValueSize} off={imm2}");
                    dst.Reset(RegType.PtrToMapValue);
                    dst.Off = imm2;
                }
                else dst.Reset(RegType.ConstPtrToMap);
                dst.Map = map;
                return;
            }
            case PseudoSource.Func:
                dst.Reset(RegType.PtrToFunc);
                dst.FuncTarget = _insn + insn.Imm + 1;
                return;
            default:
                // BTF ids (ksym addresses): a kernel address the program may only pass on.
                dst.Reset(RegType.PtrToBtfId);
                dst.BtfName = "ksym";
                return;
        }
    }

    /// <summary>
    /// Checks a load or store of <paramref name="size"/> bytes at reg+off. For reads returns the loaded
    /// value; for writes records <paramref name="value"/> (stack spills).
    /// </summary>
    private RegState CheckAccess(int regNo, RegState reg, int off, int size, Access access, RegState? value)
    {
        string verb = access == Access.Read ? "read" : "write";
        switch (reg.Type)
        {
            case RegType.Scalar:
                Fail(VerifierErrorCodes.InvalidMemAccess,
                    $"R{regNo} invalid mem access 'scalar': r{regNo} holds a number, not a pointer the program may dereference");
                break;
            case RegType.PtrToStack:
                return StackAccess(regNo, reg, off, size, access, value);
            case RegType.PtrToCtx:
                return CtxAccess(regNo, reg, off, size, access, value);
            case RegType.PtrToPacket:
            case RegType.PtrToPacketMeta:
                PacketAccess(regNo, reg, off, size, access);
                if (access == Access.Write && value!.IsPointer)
                    Fail(VerifierErrorCodes.InvalidMemAccess, $"R{regNo} leaks addr into packet: store scalars only");
                return Loaded(size);
            case RegType.PtrToMapValue:
            case RegType.PtrToMem:
                RegionAccess(regNo, reg, off, size, access);
                return Loaded(size);
            case RegType.PtrToBtfId:
                return BtfAccess(regNo, reg, off, size, access);
            case RegType.PtrToSocket:
            case RegType.PtrToSockCommon:
                if (reg.MaybeNull)
                    Fail(VerifierErrorCodes.NullPointer, $"R{regNo} invalid mem access '{reg.TypeName}': check the socket pointer against null before dereferencing it");
                if (access == Access.Write)
                    Fail(VerifierErrorCodes.InvalidMemAccess, $"cannot write into {reg.TypeName}: struct bpf_sock is read-only");
                var field = ContextLayouts.BpfSock.FieldAt(reg.Off + off);
                int o = reg.Off + off;
                if (field == null || !reg.Var.IsConst || o % size != 0 || o + size > field.Offset + field.Size)
                    Fail(VerifierErrorCodes.InvalidMemAccess, $"R{regNo} invalid {reg.TypeName} access off={o} size={size}: read a whole bpf_sock field");
                return Loaded(size);
            default:
                Fail(reg.MaybeNull ? VerifierErrorCodes.NullPointer : VerifierErrorCodes.InvalidMemAccess,
                    $"R{regNo} invalid mem access '{reg.TypeName}': this pointer type cannot be {(access == Access.Read ? "read" : "written")}");
                break;
        }
        _ = verb;
        return Loaded(size);
    }

    private static RegState Loaded(int size)
    {
        var r = new RegState();
        r.SetZeroExtended(size * 8);
        return r;
    }

    private void RegionAccess(int regNo, RegState reg, int off, int size, Access access)
    {
        bool isMap = reg.Type == RegType.PtrToMapValue;
        if (reg.MaybeNull)
            Fail(isMap ? VerifierErrorCodes.NullMapValue : VerifierErrorCodes.NullPointer,
                $"R{regNo} invalid mem access '{reg.TypeName}': check the {(isMap ? "map value" : "reserved memory")} pointer against null before dereferencing it (if (p) ...)");
        if (isMap && access == Access.Write && reg.Map!.IsReadOnly)
            Fail(VerifierErrorCodes.ReadOnlyMap, $"write into map forbidden, value_size={reg.Map.ValueSize} off={reg.Off + off} size={size}: {reg.Map.Name} is read-only");
        long limit = isMap ? reg.Map!.ValueSize : reg.MemSize;
        string what = isMap ? "map value" : "memory";
        if (reg.SMin < 0)
            Fail(VerifierErrorCodes.UnboundedMemAccess,
                $"R{regNo} min value is negative, either use unsigned index or do a if (index >=0) check.");
        if (reg.UMax >= (ulong)MaxVarOff)
            Fail(VerifierErrorCodes.UnboundedMemAccess,
                $"R{regNo} unbounded memory access, make sure to bounds check any such access: compare the index with the {what} size first");
        long lo = reg.Off + off + reg.SMin;
        long hi = reg.Off + off + (long)reg.UMax + size;
        if (lo < 0 || hi > limit)
            Fail(VerifierErrorCodes.MapValueOutOfRange,
                $"invalid access to {what}, {(isMap ? "value_size" : "mem_size")}={limit} off={reg.Off + off + (reg.Var.IsConst ? 0 : (long)reg.UMax)} size={size}: " +
                $"keep offset + size within the {limit}-byte {what}");
    }

    private void PacketAccess(int regNo, RegState reg, int off, int size, Access access)
    {
        if (access == Access.Write && !PacketWritable)
            Fail(VerifierErrorCodes.InvalidMemAccess, $"cannot write into packet: {_spec.ProgramType} programs may only read it");
        if (reg.SMin < 0)
            Fail(VerifierErrorCodes.UnboundedMemAccess, $"R{regNo} min value is negative, either use unsigned index or do a if (index >=0) check.");
        if (reg.UMax >= 0xffff)
            Fail(VerifierErrorCodes.UnboundedMemAccess, $"R{regNo} unbounded memory access: bound the packet offset before adding it");
        long start = reg.Off + off;
        if (start < 0 || start + size > reg.Range)
            Fail(VerifierErrorCodes.PacketOutOfRange,
                $"invalid access to packet, off={start} size={size}, R{regNo}(id={reg.Id},off={reg.Off},r={reg.Range}): " +
                $"check the packet bounds first, e.g. if (data + {start + size} > data_end) return ...; so that offset + size is inside the checked range");
    }

    private bool PacketWritable => _spec.ProgramType is VerifierProgramType.Xdp or VerifierProgramType.SchedCls
        or VerifierProgramType.SchedAct or VerifierProgramType.CgroupSockopt;

    private RegState CtxAccess(int regNo, RegState reg, int off, int size, Access access, RegState? value)
    {
        if (reg.Off != 0 || !reg.Var.IsConst || reg.Var.Value != 0)
            Fail(VerifierErrorCodes.ModifiedCtx,
                $"dereference of modified ctx ptr R{regNo} off={reg.Off} disallowed: access context fields as ctx->field from the original pointer");
        var f = _ctx.FieldAt(off);
        bool readOk = f != null && f.Readable && off + size <= f.Offset + f.Size && (off - f.Offset) % size == 0 &&
                      (size == f.Size || (f.AllowsNarrowLoad && !_ctx.IsArgumentArray));
        if (access == Access.Read)
        {
            if (!readOk)
                Fail(VerifierErrorCodes.InvalidCtxAccess,
                    $"invalid bpf_context access off={off} size={size}: {_ctx.Name} " +
                    (f == null ? "has no field there" : !f.Readable ? $"field {f.Name} is not readable by this program type" : $"field {f.Name} must be read with its natural size {f.Size}"));
            if (f!.LoadType == RegType.Scalar) return Loaded(size);
            var p = RegState.Pointer(f.LoadType);
            p.MaybeNull = f.LoadMaybeNull;
            if (p.MaybeNull) p.Id = NewId();
            if (p.Type == RegType.PtrToBtfId && _spec.Arguments != null)
            {
                int idx = off / 8;
                if (idx < _spec.Arguments.Count)
                {
                    var a = _spec.Arguments[idx];
                    p.BtfId = a.BtfTypeId; p.BtfName = a.StructName; p.MemSize = a.StructSize;
                }
            }
            return p;
        }
        if (f == null || !f.Writable)
            Fail(VerifierErrorCodes.ReadOnlyCtx,
                $"invalid bpf_context access off={off} size={size}: {(f == null ? $"{_ctx.Name} has no writable field there" : $"{_ctx.Name}->{f.Name} is read-only for this program type")}; only write the fields the program type allows");
        if (off + size > f!.Offset + f.Size || (off - f.Offset) % size != 0)
            Fail(VerifierErrorCodes.InvalidCtxAccess, $"invalid bpf_context access off={off} size={size}: write field {f.Name} whole");
        if (value!.IsPointer)
            Fail(VerifierErrorCodes.InvalidMemAccess, $"R{regNo} leaks addr into ctx: store scalars into the context");
        return Loaded(size);
    }

    private StructOpsWriteRules? _writeRules;

    private RegState BtfAccess(int regNo, RegState reg, int off, int size, Access access)
    {
        if (access == Access.Write && !_spec.AllowBtfStores)
            Fail(VerifierErrorCodes.InvalidMemAccess, $"only read is supported: R{regNo} points to kernel struct {reg.BtfName}, which this program type may not write");
        long o = reg.Off + off;
        if (o < 0 || (reg.MemSize > 0 && o + size > reg.MemSize))
            Fail(VerifierErrorCodes.InvalidMemAccess, $"access beyond struct {reg.BtfName} at off {o} size {size}: the struct is {reg.MemSize} bytes");
        if (access == Access.Write && _spec.StructOpsType != null)
        {
            _writeRules ??= new StructOpsWriteRules(_spec.StructOpsType, _spec.Btf);
            if (_writeRules.CheckWrite(reg, o, size) is { } why) Fail(VerifierErrorCodes.InvalidMemAccess, why);
        }
        if (access == Access.Read && size == 8 && _spec.Btf != null && reg.BtfId != 0)
        {
            var target = BtfTypes.PointerMemberAt(_spec.Btf, reg.BtfId, (int)o);
            if (target != null)
            {
                var p = RegState.Pointer(RegType.PtrToBtfId);
                p.BtfId = target.Value.Id; p.BtfName = target.Value.Name; p.MemSize = target.Value.Size;
                return p;
            }
        }
        return Loaded(size);
    }

    private RegState StackAccess(int regNo, RegState reg, int off, int size, Access access, RegState? value)
    {
        var frame = _state.Frames[reg.Frame];
        long lo = reg.Off + off + (reg.Var.IsConst ? (long)reg.Var.Value : reg.SMin);
        long hi = reg.Off + off + (reg.Var.IsConst ? (long)reg.Var.Value : reg.SMax) + size;
        if (reg.Var.IsConst && (lo % size) != 0)
            Fail(VerifierErrorCodes.MisalignedAccess, $"misaligned stack access off {reg.Off}+{off} size {size}: align stack accesses to their size");
        if (lo < -FrameState.StackSize || hi > 0)
            Fail(VerifierErrorCodes.InvalidStackAccess,
                $"invalid {(access == Access.Read ? "read from" : "write to")} stack R{regNo} off={reg.Off + off} size={size}: the stack is fp-512 .. fp-1");
        int sub = _structure.SubprogramOf(frame.SubprogStart);
        StackDepth[sub] = Math.Max(StackDepth[sub], (int)-lo);
        int first = (int)(lo + FrameState.StackSize);
        int last = (int)(hi + FrameState.StackSize); // exclusive

        if (access == Access.Write)
        {
            bool fixedOff = reg.Var.IsConst;
            if (value!.IsPointer && size != 8)
                Fail(VerifierErrorCodes.InvalidStackAccess, $"invalid size of register spill: a pointer is stored with {size} bytes; spill pointers as 8 bytes");
            if (fixedOff && first % 8 == 0 && (size == 8 || value.IsScalar))
            {
                // Narrow scalar spills are tracked too (privileged kernels do), so u32 counters kept on the stack keep their bounds.
                int slot = first / 8;
                for (int j = slot * 8; j < slot * 8 + 8; j++)
                    if (frame.Bytes[j] == (byte)StackSlotKind.Spill) frame.Bytes[j] = (byte)StackSlotKind.Misc;
                for (int i = first; i < last; i++) frame.Bytes[i] = (byte)StackSlotKind.Spill;
                frame.SpillSizes[slot] = (byte)size;
                var spilled = value.Clone();
                if (size < 8) { spilled.Id = 0; ScalarAlu.Truncate(spilled, size); }
                if (spilled.IsScalar && !spilled.IsConst && size == 8)
                {
                    // Link the spilled copy with its register so a later bounds check on one applies to the other.
                    value.Id = value.Id == 0 ? NewId() : value.Id;
                    spilled.Id = value.Id;
                }
                frame.Spills[slot] = spilled;
                return Loaded(size);
            }
            bool zero = value.IsScalar && value.IsConst && value.ConstValue == 0 && fixedOff;
            for (int i = first; i < last; i++)
            {
                int slot = i / 8;
                if (frame.Bytes[i] == (byte)StackSlotKind.Spill || frame.Spills[slot] != null)
                {
                    // A partial overwrite destroys the spilled register: its other bytes become plain data.
                    for (int j = slot * 8; j < slot * 8 + 8; j++)
                        if (frame.Bytes[j] == (byte)StackSlotKind.Spill) frame.Bytes[j] = (byte)StackSlotKind.Misc;
                    frame.Spills[slot] = null;
                    frame.SpillSizes[slot] = 0;
                }
                frame.Bytes[i] = (byte)(zero ? StackSlotKind.Zero : StackSlotKind.Misc);
            }
            return Loaded(size);
        }

        // Read.
        if (reg.Var.IsConst && first % 8 == 0 && frame.Spills[first / 8] is { } sp && frame.SpillSizes[first / 8] == size)
        {
            bool whole = true;
            for (int i = first; i < last; i++) whole &= frame.Bytes[i] == (byte)StackSlotKind.Spill;
            if (whole) return sp.Clone();
        }
        bool allZero = true;
        for (int i = first; i < last; i++)
        {
            byte k = frame.Bytes[i];
            if (k == (byte)StackSlotKind.Invalid && _spec.Privileged) { allZero = false; continue; }
            if (k == (byte)StackSlotKind.Invalid)
                Fail(VerifierErrorCodes.UninitStack,
                    $"invalid read from stack R{regNo} off {reg.Off + off}+{i - first} size {size}: the stack bytes were never written; initialise them (e.g. = 0 or memset) before reading");
            if (k == (byte)StackSlotKind.Spill)
            {
                var s = frame.Spills[i / 8];
                if (s != null && s.IsPointer)
                    Fail(VerifierErrorCodes.InvalidStackAccess,
                        $"invalid size of register fill: R{regNo} off {reg.Off + off} size {size} reads part of a spilled pointer; read it as 8 bytes");
                if (s == null || !(s.IsConst && s.ConstValue == 0)) allZero = false;
                continue;
            }
            if (k != (byte)StackSlotKind.Zero) allZero = false;
        }
        if (allZero && reg.Var.IsConst) return RegState.ConstScalar(0);
        return Loaded(size);
    }

    /// <summary>Checks that a helper may read (initialised) or write <paramref name="size"/> bytes at the pointer.</summary>
    private void CheckHelperMemory(int regNo, RegState reg, long size, bool write, string helper)
    {
        if (size == 0) return;
        switch (reg.Type)
        {
            case RegType.PtrToStack:
            {
                var frame = _state.Frames[reg.Frame];
                if (!reg.Var.IsConst)
                    Fail(VerifierErrorCodes.BadHelperArg, $"R{regNo} variable stack pointer passed to {helper}: pass a fixed stack address");
                long lo = reg.Off + (long)reg.Var.Value;
                if (lo < -FrameState.StackSize || lo + size > 0)
                    Fail(VerifierErrorCodes.InvalidStackAccess,
                        $"invalid indirect access to stack R{regNo} off={lo} size={size} in {helper}: the buffer must lie within fp-512 .. fp-1");
                int sub = _structure.SubprogramOf(frame.SubprogStart);
                StackDepth[sub] = Math.Max(StackDepth[sub], (int)-lo);
                int first = (int)(lo + FrameState.StackSize);
                for (int i = first; i < first + size; i++)
                {
                    if (write)
                    {
                        frame.Bytes[i] = (byte)StackSlotKind.Misc;
                        frame.Spills[i / 8] = null;
                    }
                    else if (frame.Bytes[i] == (byte)StackSlotKind.Invalid && !_spec.Privileged)
                        Fail(VerifierErrorCodes.UninitStack,
                            $"invalid indirect read from stack R{regNo} off {lo}+{i - first} size {size}: {helper} reads {size} bytes there; initialise all of them first");
                }
                if (write)
                    for (int s = first / 8; s <= (int)(first + size - 1) / 8; s++)
                        for (int j = s * 8; j < s * 8 + 8; j++)
                            if (frame.Bytes[j] == (byte)StackSlotKind.Spill) frame.Bytes[j] = (byte)StackSlotKind.Misc;
                return;
            }
            case RegType.PtrToMapValue:
            case RegType.PtrToMem:
                RegionAccess(regNo, reg, 0, (int)size, write ? Access.Write : Access.Read);
                return;
            case RegType.PtrToPacket:
            case RegType.PtrToPacketMeta:
                PacketAccess(regNo, reg, 0, (int)size, write ? Access.Write : Access.Read);
                return;
            default:
                Fail(reg.MaybeNull ? (reg.Type == RegType.PtrToMapValue ? VerifierErrorCodes.NullMapValue : VerifierErrorCodes.NullPointer) : VerifierErrorCodes.BadHelperArg,
                    $"R{regNo} type={reg.TypeName} expected=fp, pkt, map_value or mem: {helper} needs a pointer to {size} bytes of {(write ? "writable" : "initialised")} memory");
                return;
        }
    }
}
