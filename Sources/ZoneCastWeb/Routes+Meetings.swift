import Foundation
import Hummingbird

func addMeetingsRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
