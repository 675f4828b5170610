namespace CSharpBpf.Vm.Helpers;

/// <summary>Helper ids as enum bpf_func_id in include/uapi/linux/bpf.h numbers them.</summary>
public static class HelperIds
{
    public const int MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3, KtimeGetNs = 5, TracePrintk = 6,
        GetPrandomU32 = 7, GetSmpProcessorId = 8, TailCall = 12, GetCurrentPidTgid = 14, Redirect = 23, SkbLoadBytes = 26, SkbPullData = 39, SkbChangeHead = 43, XdpAdjustHead = 44, XdpAdjustTail = 65,
        GetSocketCookie = 46, SetSockopt = 49, RedirectMap = 51, GetSockopt = 57, SockOpsCbFlagsSet = 59,
        SkFullsock = 95, SysctlGetName = 101, SysctlGetCurrentValue = 102, SysctlGetNewValue = 103,
        SysctlSetNewValue = 104, SkStorageGet = 107, SkStorageDelete = 108, ProbeReadKernel = 113,
        ProbeReadKernelStr = 115, KtimeGetBootNs = 125, RingbufOutput = 130, RingbufReserve = 131,
        RingbufSubmit = 132, RingbufDiscard = 133, RingbufQuery = 134;
}
