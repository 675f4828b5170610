using System;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

internal sealed partial class PathExplorer
{
    private int DoCall(Instruction insn)
    {
        if (insn.Source == SourceOperand.X)
            Fail(VerifierErrorCodes.InvalidCall, "callx (indirect call through a register) is not supported: call helpers and subprograms directly");
        switch ((CallKind)insn.Src)
        {
            case CallKind.Local: return DoLocalCall(insn);
            case CallKind.Kfunc:
                return DoKfuncCall();
            default:
                DoHelperCall(insn.Imm);
                return _insn + 1;
        }
    }

    private void ClobberCallerSaved()
    {
        for (int r = 1; r <= 5; r++) Regs[r].Reset(RegType.NotInit);
    }

    private int DoLocalCall(Instruction insn)
    {
        if (_state.Frames.Count >= MaxCallFrames)
            Fail(VerifierErrorCodes.CallDepth,
                $"the call stack of {_state.Frames.Count + 1} frames is too deep: at most {MaxCallFrames} frames; inline or flatten the calls (recursion is not allowed)");
        int target = _insn + insn.Imm + 1;
        if (IsGlobal(target, out var global)) return DoGlobalCall(global);
        var caller = Frame;
        var callee = new FrameState(_state.Frames.Count, _insn, target);
        for (int r = 1; r <= 5; r++) callee.Regs[r] = caller.Regs[r].Clone();
        callee.Regs[10] = RegState.Pointer(RegType.PtrToStack);
        callee.Regs[10].Frame = callee.FrameNo;
        _state.Frames.Add(callee);
        UpdateCombinedStack(_insn);
        return target;
    }

    /// <summary>Checks the frames' combined stack; a violation is reported at the call that makes the chain too deep.</summary>
    private void UpdateCombinedStack(int callSite)
    {
        int total = 0;
        foreach (var f in _state.Frames)
            total += RoundUp(StackDepth[_structure.SubprogramOf(f.SubprogStart)]);
        if (total > MaxCombinedStack) MaxCombinedStack = total;
        if (total > FrameState.StackSize)
            FailAt(callSite, VerifierErrorCodes.StackTooLarge,
                $"combined stack size of {_state.Frames.Count} calls is {total}. Too large: frames together may use at most 512 bytes; use smaller locals or a per-CPU array map as scratch space");
    }

    /// <summary>Each frame's stack is counted in 32-byte steps, as the kernel does for the combined depth.</summary>
    private static int RoundUp(int depth) => depth == 0 ? 0 : (depth + 31) / 32 * 32;

    private int DoExit()
    {
        if (Frame.IsCallback)
        {
            var rc = Frame.Regs[0];
            if (!rc.IsScalar || rc.SMin < 0 || rc.SMax > 1)
                Fail(VerifierErrorCodes.InvalidReturnValue, $"At callback return the register R0 has {rc} should have been in [0, 1]: return 0 to continue the loop or 1 to stop");
            return -1;
        }
        if (_state.Frames.Count > 1)
        {
            var callee = Frame;
            var r0 = callee.Regs[0];
            if (r0.Type == RegType.NotInit)
                Fail(VerifierErrorCodes.UninitRegister, "R0 !read_ok: the subprogram returns without setting r0; return a value");
            if (r0.Type == RegType.PtrToStack && r0.Frame == callee.FrameNo)
                Fail(VerifierErrorCodes.InvalidMemAccess, "cannot return stack pointer to the caller: the callee's stack is gone after the return");
            UpdateCombinedStack(callee.CallSite);
            _state.Frames.RemoveAt(_state.Frames.Count - 1);
            var caller = Frame;
            caller.Regs[0] = r0.Clone();
            for (int r = 1; r <= 5; r++) caller.Regs[r].Reset(RegType.NotInit);
            return callee.CallSite + 1;
        }
        if (_verifyingGlobal != null) CheckGlobalExit();
        if (_state.RcuLocked)
            Fail(VerifierErrorCodes.UnreleasedReference,
                "BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region: call bpf_rcu_read_unlock on every path before returning");

        foreach (var kv in _state.References)
            Fail(VerifierErrorCodes.UnreleasedReference,
                $"Unreleased reference id={kv.Key} alloc_insn={kv.Value}: submit or discard the ring buffer reservation on every path");
        if (_verifyingGlobal != null) return -1;
        var ret = Regs[0];
        if (ret.Type == RegType.NotInit)
        {
            if (_spec.RequiresReturnValue)
                Fail(VerifierErrorCodes.UninitRegister, "R0 !read_ok: the program exits without a return value; set r0 before exit");
            return -1;
        }
        if (_spec.ReturnRange is { } range)
        {
            if (!ret.IsScalar)
                Fail(VerifierErrorCodes.InvalidReturnValue, $"At program exit the register R0 is not a known value ({ret.TypeName}): return an integer in [{range.Min}, {range.Max}]");
            if (ret.SMin < range.Min || ret.SMax > range.Max)
                Fail(VerifierErrorCodes.InvalidReturnValue,
                    $"At program exit the register R0 has {(ret.IsConst ? $"value {(long)ret.ConstValue}" : $"smin={ret.SMin} smax={ret.SMax}")} should have been in [{range.Min}, {range.Max}]: " +
                    $"{_spec.ProgramType} programs return {range.Min}..{range.Max}");
        }
        return -1;
    }

    private void DoHelperCall(int id)
    {
        var proto = HelperPrototypes.Find(id);
        if (proto == null)
            Fail(VerifierErrorCodes.UnknownHelper, $"invalid func unknown#{id}: the managed verifier does not know helper {id}");
        if (proto!.ProgramTypes != null && Array.IndexOf((VerifierProgramType[])ToArray(proto.ProgramTypes), _spec.ProgramType) < 0)
            Fail(VerifierErrorCodes.UnknownHelper, $"program of this type cannot use helper {proto.Name}#{id}: {_spec.ProgramType} programs do not have it");

        MapDescriptor? map = null;
        long allocSize = 0;
        int releaseRef = 0;
        int callback = -1;
        ulong? constKey = null;
        for (int i = 0; i < proto.Args.Length; i++)
        {
            int r = i + 1;
            var kind = proto.Args[i];
            if (kind == HelperArg.None) continue;
            if (kind is HelperArg.ConstSize or HelperArg.ConstSizeOrZero) continue; // checked with its buffer
            var reg = ReadReg(r);
            switch (kind)
            {
                case HelperArg.Anything:
                    break;
                case HelperArg.ConstMapPtr:
                    if (reg.Type == RegType.ConstPtrToMap && reg.MaybeNull)
                        Fail(VerifierErrorCodes.NullPointer, $"R{r} type={reg.TypeName} expected=map_ptr: check the inner map pointer against null before passing it to {proto.Name}");
                    if (reg.Type != RegType.ConstPtrToMap)
                        Fail(VerifierErrorCodes.BadHelperArg, $"R{r} type={reg.TypeName} expected=map_ptr: pass the map itself (&map) to {proto.Name}");
                    map = reg.Map;
                    CheckMapCompatibility(proto, map!);
                    break;
                case HelperArg.MapKey:
                    CheckHelperMemory(r, reg, map!.KeySize, false, proto.Name);
                    constKey = ConstantStackKey(reg, (int)map.KeySize);
                    break;
                case HelperArg.MapValue:
                    CheckHelperMemory(r, reg, map!.ValueSize, false, proto.Name);
                    break;
                case HelperArg.MapValueOrNull:
                    if (reg.IsScalar && reg.IsConst && reg.ConstValue == 0) break;
                    CheckHelperMemory(r, reg, map!.ValueSize, false, proto.Name);
                    break;
                case HelperArg.Ctx:
                    if (reg.Type != RegType.PtrToCtx || reg.Off != 0)
                        Fail(VerifierErrorCodes.BadHelperArg, $"R{r} type={reg.TypeName} expected=ctx: pass the program's context pointer unchanged to {proto.Name}");
                    break;
                case HelperArg.ReadableMem:
                case HelperArg.WritableMem:
                {
                    bool orZero = i + 1 < proto.Args.Length && proto.Args[i + 1] == HelperArg.ConstSizeOrZero;
                    var sizeReg = ReadReg(r + 1);
                    long max = CheckSizeArg(r + 1, sizeReg, orZero, proto.Name);
                    if (orZero && max == 0 && reg.IsScalar && reg.IsConst && reg.ConstValue == 0) break;
                    CheckHelperMemory(r, reg, max, kind == HelperArg.WritableMem, proto.Name);
                    break;
                }
                case HelperArg.ConstAllocSize:
                    if (!reg.IsScalar || !reg.IsConst)
                        Fail(VerifierErrorCodes.BadHelperArg, $"R{r} is not a known constant: {proto.Name} needs a constant size");
                    allocSize = (long)reg.ConstValue;
                    break;
                case HelperArg.SockCommon:
                    if (reg.MaybeNull && reg.Type is RegType.PtrToSocket or RegType.PtrToSockCommon)
                        Fail(VerifierErrorCodes.NullPointer, $"R{r} type={reg.TypeName} expected=sock_common: check the socket against null before passing it to {proto.Name}");
                    if (reg.Type is not (RegType.PtrToSocket or RegType.PtrToSockCommon or RegType.PtrToBtfId))
                        Fail(VerifierErrorCodes.BadHelperArg, $"R{r} type={reg.TypeName} expected=sock_common: pass a socket pointer to {proto.Name}");
                    break;
                case HelperArg.ReleaseAllocMem:
                    if (reg.Type != RegType.PtrToMem || reg.RefObjId == 0 || reg.Off != 0)
                        Fail(reg.MaybeNull ? VerifierErrorCodes.NullPointer : VerifierErrorCodes.BadHelperArg,
                            $"R{r} type={reg.TypeName} expected=ringbuf_mem: pass the unmodified, null-checked pointer bpf_ringbuf_reserve returned to {proto.Name}");
                    if (reg.MaybeNull)
                        Fail(VerifierErrorCodes.NullPointer, $"R{r} type={reg.TypeName}: check the reservation against null before {proto.Name}");
                    releaseRef = reg.RefObjId;
                    break;
                case HelperArg.Func:
                    if (reg.Type != RegType.PtrToFunc)
                        Fail(VerifierErrorCodes.BadHelperArg, $"R{r} type={reg.TypeName} expected=func: pass a static function as the callback of {proto.Name}");
                    callback = reg.FuncTarget;
                    break;
                case HelperArg.WritableLong:
                    CheckHelperMemory(r, reg, 8, true, proto.Name);
                    break;
            }
        }

        if (callback >= 0) QueueCallback(callback);
        if (releaseRef != 0)
        {
            _state.References.Remove(releaseRef);
            foreach (var reg in _state.AllRegisters())
                if (reg.RefObjId == releaseRef) reg.BecomeUnknownScalar();
        }
        ClobberCallerSaved();
        if (proto.ChangesPacketData) ClearAllPacketPointers();
        var r0 = Regs[0];
        switch (proto.Return)
        {
            case HelperReturn.Void:
                r0.Reset(RegType.NotInit);
                break;
            case HelperReturn.Integer:
                r0.BecomeUnknownScalar();
                break;
            case HelperReturn.MapValueOrNull when map!.Type is Object.Objects.BpfMapType.ArrayOfMaps or Object.Objects.BpfMapType.HashOfMaps:
                // A lookup in a map of maps yields the inner map (or NULL).
                if (map.Inner == null)
                    Fail(VerifierErrorCodes.BadHelperArg, $"map {map.Name} has no inner map definition: declare the inner map's shape (__array(values, ...))");
                r0.Reset(RegType.ConstPtrToMap);
                r0.Map = map.Inner;
                r0.MaybeNull = true;
                r0.Id = NewId();
                break;
            case HelperReturn.MapValueOrNull:
                r0.Reset(RegType.PtrToMapValue);
                r0.Map = map;
                // Linux 6.18: an array lookup with a constant in-range key cannot fail (kernel-tested).
                r0.MaybeNull = !(id == 1 && constKey is { } k && k < map!.MaxEntries &&
                                 map.Type is Object.Objects.BpfMapType.Array or Object.Objects.BpfMapType.PercpuArray);
                if (r0.MaybeNull) r0.Id = NewId();
                break;
            case HelperReturn.SocketOrNull:
                r0.Reset(RegType.PtrToSocket);
                r0.MaybeNull = true;
                r0.Id = NewId();
                break;
            case HelperReturn.AllocMemOrNull:
                r0.Reset(RegType.PtrToMem);
                r0.MemSize = (int)Math.Min(allocSize, int.MaxValue);
                r0.MaybeNull = true;
                r0.Id = NewId();
                r0.RefObjId = r0.Id;
                _state.References[r0.Id] = _insn;
                break;
        }
    }

    /// <summary>
    /// The kernel's clear_all_pkt_pointers after a helper that changes packet data: every packet pointer in every
    /// frame, registers and spilled slots alike, stops being one (root: an unknown number, as mark_reg_invalid does
    /// with allow_ptr_leaks; otherwise uninitialised), so using one is refused and the program must reload
    /// ctx->data/data_end and check the bounds again.
    /// </summary>
    private void ClearAllPacketPointers()
    {
        foreach (var reg in _state.AllRegisters())
        {
            if (reg.Type is not (RegType.PtrToPacket or RegType.PtrToPacketMeta or RegType.PtrToPacketEnd)) continue;
            if (_spec.Privileged) reg.BecomeUnknownScalar();
            else reg.Reset(RegType.NotInit);
        }
    }

    /// <summary>
    /// Explores a bpf_loop callback as its own path: a new frame with r1 = the index (a scalar) and r2 = the
    /// context argument (r3 of the call), ending at the callback's exit.
    /// </summary>
    private void QueueCallback(int target)
    {
        if (_state.Frames.Count >= MaxCallFrames)
            Fail(VerifierErrorCodes.CallDepth, $"the call stack of {_state.Frames.Count + 1} frames is too deep: at most {MaxCallFrames} frames");
        var s = _state.Clone();
        var caller = s.Current;
        var frame = new FrameState(s.Frames.Count, _insn, target, isCallback: true);
        frame.Regs[1] = RegState.UnknownScalar();
        frame.Regs[1].SetZeroExtended(32);
        frame.Regs[2] = caller.Regs[3].Clone();
        frame.Regs[10] = RegState.Pointer(RegType.PtrToStack);
        frame.Regs[10].Frame = frame.FrameNo;
        s.Frames.Add(frame);
        Fork(s, target, _currentCheckpoint);
    }

    /// <summary>The u32 key at a fixed stack address when it is a known constant (zeroed bytes or a constant spill).</summary>
    private ulong? ConstantStackKey(RegState reg, int keySize)
    {
        if (reg.Type != RegType.PtrToStack || !reg.Var.IsConst || keySize != 4) return null;
        var frame = _state.Frames[reg.Frame];
        long lo = reg.Off + (long)reg.Var.Value;
        int first = (int)(lo + FrameState.StackSize);
        if (first < 0 || first + keySize > FrameState.StackSize) return null;
        bool zero = true;
        for (int i = first; i < first + keySize; i++) zero &= frame.Bytes[i] == (byte)StackSlotKind.Zero;
        if (zero) return 0;
        if (first % 8 == 0 && frame.Spills[first / 8] is { } s && s.IsScalar && s.IsConst && frame.Bytes[first] == (byte)StackSlotKind.Spill)
            return s.ConstValue & 0xffffffffUL;
        return null;
    }

    private static T[] ToArray<T>(System.Collections.Generic.IReadOnlyCollection<T> c)
    {
        var a = new T[c.Count];
        int i = 0;
        foreach (var x in c) a[i++] = x;
        return a;
    }

    private void CheckMapCompatibility(HelperPrototype proto, MapDescriptor map)
    {
        bool helperAccepts = proto.MapTypes == null || System.Linq.Enumerable.Contains(proto.MapTypes, map.Type);
        var only = HelperPrototypes.HelpersForMapType(map.Type);
        bool mapAccepts = only == null || Array.IndexOf(only, proto.Id) >= 0;
        if (!helperAccepts || !mapAccepts)
            Fail(VerifierErrorCodes.HelperMapIncompatible,
                $"cannot pass map_type {(uint)map.Type} into func {proto.Name}#{proto.Id}: {map.Name} is a {map.Type} map, which {proto.Name} does not accept");
    }

    /// <summary>Checks a size argument and returns its largest value.</summary>
    private long CheckSizeArg(int r, RegState size, bool orZero, string helper)
    {
        if (!size.IsScalar)
            Fail(VerifierErrorCodes.BadHelperArg, $"R{r} type={size.TypeName} expected=scalar: the size passed to {helper} must be a number");
        if (size.SMin < 0)
            Fail(VerifierErrorCodes.BadHelperArg, $"R{r} min value is negative, either use unsigned or 'var &= const'");
        if (!orZero && size.UMin == 0)
            Fail(VerifierErrorCodes.BadHelperArg, $"R{r} invalid zero-sized read: {helper} needs a size of at least 1");
        if (size.UMax >= (ulong)MaxVarOff)
            Fail(VerifierErrorCodes.UnboundedMemAccess, $"R{r} unbounded memory access, use 'var &= const' or 'if (var < const)' before passing the size to {helper}");
        return (long)size.UMax;
    }
}
