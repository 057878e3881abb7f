import Foundation
import Hummingbird

func addOfficerRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
