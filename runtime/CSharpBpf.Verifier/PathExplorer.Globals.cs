using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>
/// Global functions as the kernel treats them (check_func_call, btf_check_func_arg_match, do_check_subprogs):
/// a call checks the caller's r1-r5 against the function's BTF prototype, clobbers r1-r5 and leaves an unknown
/// scalar in r0 (the callee's body is not followed); after the main program, every global function some
/// explored path called is verified once on its own, its arguments typed from the prototype alone.
/// </summary>
internal sealed partial class PathExplorer
{
    private Dictionary<int, GlobalFunction>? _globals;
    private readonly HashSet<int> _calledGlobals = new();
    private readonly HashSet<int> _verifiedGlobals = new();
    /// <summary>The global function being verified on its own; null while the main program is.</summary>
    private GlobalFunction? _verifyingGlobal;

    private Dictionary<int, GlobalFunction> Globals => _globals ??= GlobalFunctions.Find(_spec);

    private bool IsGlobal(int start, out GlobalFunction fn) => Globals.TryGetValue(start, out fn!);

    /// <summary>func#N as the kernel numbers subprograms (by start, main = 0).</summary>
    private int SubprogNumber(int start) => _structure.SubprogramOf(start);

    private int DoGlobalCall(GlobalFunction fn)
    {
        string who = $"func#{SubprogNumber(fn.Start)} ('{fn.Name}')";
        if (fn.Problem != null)
            Fail(VerifierErrorCodes.InvalidCall, $"Caller passes invalid args into {who}: {fn.Problem}");
        for (int i = 0; i < fn.Args.Count; i++)
        {
            int r = i + 1;
            var arg = fn.Args[i];
            var reg = Regs[r];
            switch (arg.Kind)
            {
                case GlobalArgKind.Scalar:
                    if (!reg.IsScalar)
                        Fail(VerifierErrorCodes.BadHelperArg,
                            $"R{r} is not a scalar: Caller passes invalid args into {who}, whose arg#{i} is {arg.TypeName}; pass a number{(reg.Type == RegType.NotInit ? " (r" + r + " is not set)" : "")}");
                    break;
                case GlobalArgKind.Ctx:
                    if (reg.Type != RegType.PtrToCtx)
                        Fail(VerifierErrorCodes.BadHelperArg,
                            $"arg#{i} expects pointer to ctx: Caller passes invalid args into {who}; pass the program's context pointer (R{r} is {reg.TypeName})");
                    if (reg.Off != 0 || !reg.Var.IsConst || reg.Var.Value != 0)
                        Fail(VerifierErrorCodes.ModifiedCtx,
                            $"dereference of modified ctx ptr R{r} off={reg.Off} disallowed: pass the context pointer to {fn.Name}() unchanged");
                    break;
                case GlobalArgKind.Mem:
                    if (reg.IsScalar && reg.IsConst && reg.ConstValue == 0) break; // NULL is always allowed
                    if (reg.Type == RegType.PtrToBtfId)
                    {
                        // A kernel pointer counts as memory it can read (check_helper_mem_access reads through
                        // check_ptr_to_btf_access): the bytes must lie inside its struct.
                        long at = reg.Off + (reg.Var.IsConst ? (long)reg.Var.Value : 0);
                        if (!reg.Var.IsConst || at < 0 || (reg.MemSize > 0 && at + arg.MemSize > reg.MemSize))
                            Fail(VerifierErrorCodes.InvalidMemAccess,
                                $"access beyond struct {reg.BtfName} at off {at} size {arg.MemSize}: {fn.Name}() takes {arg.MemSize} bytes of {arg.TypeName} (arg#{i}) and R{r} has fewer left in its struct");
                        break;
                    }
                    var probe = reg.Clone();
                    probe.MaybeNull = false;
                    // The callee may read and write all of it (check_mem_reg checks both ways).
                    CheckHelperMemory(r, probe, arg.MemSize, false, $"{fn.Name}() (arg#{i}, {arg.MemSize} bytes of {arg.TypeName})");
                    CheckHelperMemory(r, probe, arg.MemSize, true, $"{fn.Name}() (arg#{i}, {arg.MemSize} bytes of {arg.TypeName})");
                    if (reg.MaybeNull && !arg.Nullable)
                        Fail(VerifierErrorCodes.NullPointer, $"arg#{i} is expected to be non-NULL: check R{r} against null before calling {fn.Name}()");
                    break;
            }
        }
        _calledGlobals.Add(fn.Start);
        ClobberCallerSaved();
        // A global function that (maybe through its calls) changes packet data invalidates the caller's packet
        // pointers too: the kernel tracks changes_pkt_data per subprogram for exactly this.
        if (SubprogramChangesPacketData(fn.Start)) ClearAllPacketPointers();
        // All global functions return a 64-bit scalar the caller knows nothing about.
        Regs[0].BecomeUnknownScalar();
        return _insn + 1;
    }

    /// <summary>do_check_subprogs: verifies each called global function once, repeating while new ones get called.</summary>
    private void VerifyCalledGlobalFunctions()
    {
        bool progress = true;
        while (progress)
        {
            progress = false;
            var starts = new List<int>(_calledGlobals);
            starts.Sort();
            foreach (int start in starts)
            {
                if (!_verifiedGlobals.Add(start)) continue;
                _verifyingGlobal = Globals[start];
                Explore(EntryState(_verifyingGlobal), start);
                progress = true;
            }
        }
        _verifyingGlobal = null;
    }

    /// <summary>The state a global function starts in: its arguments from the prototype, nothing else known.</summary>
    private VerifierState EntryState(GlobalFunction fn)
    {
        var state = new VerifierState();
        var frame = new FrameState(0, -1, fn.Start);
        for (int i = 0; i < fn.Args.Count; i++)
        {
            var arg = fn.Args[i];
            switch (arg.Kind)
            {
                case GlobalArgKind.Ctx:
                    frame.Regs[i + 1] = RegState.Pointer(RegType.PtrToCtx);
                    break;
                case GlobalArgKind.Scalar:
                    frame.Regs[i + 1] = RegState.UnknownScalar();
                    break;
                case GlobalArgKind.Mem:
                    var mem = RegState.Pointer(RegType.PtrToMem);
                    mem.MemSize = arg.MemSize;
                    mem.MaybeNull = arg.Nullable;
                    if (arg.Nullable) mem.Id = NewId();
                    frame.Regs[i + 1] = mem;
                    break;
            }
        }
        frame.Regs[10] = RegState.Pointer(RegType.PtrToStack);
        state.Frames.Add(frame);
        return state;
    }

    /// <summary>A global function's exit (check_return_code for a subprogram): r0 must be a scalar.</summary>
    private void CheckGlobalExit()
    {
        var r0 = Regs[0];
        if (r0.Type == RegType.NotInit)
            Fail(VerifierErrorCodes.UninitRegister, $"R0 !read_ok: global function {_verifyingGlobal!.Name}() returns without setting r0; return a value");
        if (!r0.IsScalar)
            Fail(VerifierErrorCodes.InvalidReturnValue,
                $"At subprogram exit the register R0 is not a scalar value ({r0.TypeName}): global function {_verifyingGlobal!.Name}() must return an integer");
    }
}
