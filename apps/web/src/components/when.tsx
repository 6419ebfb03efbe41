import { timeZone } from "@/lib/request-time-zone";
import { Moment, type MomentProps } from "./moment";

/**
 * A moment as the person reads it, in their zone (a server component: it reads the zone of the request). See
 * <Moment> for the three ways it is shown.
 */
export async function When(props: Omit<MomentProps, "zone">) {
  return <Moment {...props} zone={await timeZone()} />;
}
